//go:build unix && !linux

package pgstore_test

import "syscall"

// dieWithParent: only Linux has a parent-death signal; elsewhere a killed
// test run can leave its throwaway server running until reboot.
func dieWithParent(*syscall.SysProcAttr) {}
