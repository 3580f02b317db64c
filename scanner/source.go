package scanner

import (
	"context"
	"errors"
	"fmt"
)

// Source is one directory to read: a live domain over LDAP or an LDIF export.
type Source interface {
	// Name is the [[directory]] name, used in logs, errors and reports.
	Name() string
	// Scan streams every user, computer and group to emit, which is called
	// from one goroutine at a time. The Object is only valid during the call.
	// An error from emit stops the scan and is returned wrapped.
	Scan(ctx context.Context, emit func(*Object) error) error
}

// DirectoryError is a failure to connect to, bind to or search a directory.
// The command maps it to exit code 3.
type DirectoryError struct {
	Directory string // the [[directory]] name
	Op        string // "connect", "tls", "bind", "search", "read"
	Err       error
}

func (e *DirectoryError) Error() string {
	return fmt.Sprintf("directory %q: %s: %v", e.Directory, e.Op, e.Err)
}

func (e *DirectoryError) Unwrap() error { return e.Err }

// IsDirectoryError reports whether err is (or wraps) a DirectoryError.
func IsDirectoryError(err error) bool {
	var de *DirectoryError
	return errors.As(err, &de)
}
