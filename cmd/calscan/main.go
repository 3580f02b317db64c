// Command calscan tells an organisation whether it owns enough Windows Server
// Client Access Licenses, from what its Active Directory says.
package main

import (
	"context"
	"os"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }
