package pgstore_test

import "syscall"

// dieWithParent has the kernel send the postmaster SIGQUIT (immediate
// shutdown, as pg_ctl stop -m immediate does) when the test binary dies, so
// a test run killed by its timeout leaves no server behind.
func dieWithParent(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGQUIT
}
