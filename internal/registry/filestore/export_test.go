package filestore

// SetTestHook installs f as the publish hook (nil removes it). Tests use
// it to pause or kill a publish between writing content and committing.
func SetTestHook(f func(stage string)) { testHook = f }
