package runtimecheck

import (
	"errors"
	"testing"
)

var netTables = map[string]string{
	"tcp": `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:9CF5 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 355317 1 0000000000000000 100 0 0 10 0
   1: 0100007F:B290 0100007F:A62F 08 00000000:00000000 00:00000000 00000000     0        0 355507 1 0000000000000000 20 4 30 10 -1
`,
	"tcp6": `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4243 1 0000000000000000 100 0 0 10 0
`,
	"udp": `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  1: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5151 2 0000000000000000 0
  2: 0100007F:A000 0100007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 5152 2 0000000000000000 0
`,
	"unix": `Num       RefCount Protocol Flags    Type St Inode Path
000000001ba2975a: 00000002 00000000 00010000 0001 01 648 /tmp/app.sock
00000000c86fd3d9: 00000003 00000000 00000000 0001 03   647
0000000011111111: 00000002 00000000 00000000 0002 01 700 @abstract
`,
}

func readTables(name string) ([]byte, error) {
	if s, ok := netTables[name]; ok {
		return []byte(s), nil
	}
	return nil, errors.New("no such table")
}

func TestLookupSocket(t *testing.T) {
	for ino, want := range map[uint64]string{
		355317: "tcp 127.0.0.1:40181 listening",
		355507: "tcp 127.0.0.1:45712 -> 127.0.0.1:42543 close-wait",
		4242:   "tcp6 [::1]:8080 listening",
		4243:   "tcp6 127.0.0.1:8080 -> 127.0.0.1:54321 established",
		5151:   "udp 127.0.0.1:53",
		5152:   "udp 127.0.0.1:40960 -> 127.0.0.1:53",
		648:    "unix /tmp/app.sock listening",
		647:    "unix",
		700:    "unixgram @abstract",
		1:      "",
	} {
		if got := lookupSocket(ino, readTables); got != want {
			t.Errorf("lookupSocket(%d) = %q, want %q", ino, got, want)
		}
	}
}
