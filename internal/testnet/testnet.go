// Package testnet gives tests network addresses with a known behaviour.
// It is test support, imported only by _test.go files.
package testnet

import (
	"fmt"
	"syscall"
	"testing"
)

// ClosedAddr is a loopback address ("127.0.0.1:PORT") where nothing
// listens for the whole test: a socket is bound to the port but never
// listens, so a connection is refused at once, and no other test's server
// can take the port meanwhile. (A listener opened and closed at once left
// the port free; with packages tested side by side, another test's server
// took it and a "dead" source answered.)
func ClosedAddr(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
}
