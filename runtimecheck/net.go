package runtimecheck

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
)

// lookupSocket describes the socket with the given inode from the tables of
// /proc/self/net: "tcp 127.0.0.1:41234 -> 127.0.0.1:8080 established",
// "tcp6 [::1]:8080 listening", "unix /tmp/x.sock", "" when no table has it.
// read returns a table's contents by name ("tcp", "unix", ...).
func lookupSocket(inode uint64, read func(name string) ([]byte, error)) string {
	ino := strconv.FormatUint(inode, 10)
	for _, t := range []string{"tcp", "tcp6", "udp", "udp6", "udplite", "udplite6", "raw", "raw6"} {
		b, err := read(t)
		if err != nil {
			continue
		}
		if s := findInetSocket(b, t, ino); s != "" {
			return s
		}
	}
	if b, err := read("unix"); err == nil {
		if s := findUnixSocket(b, ino); s != "" {
			return s
		}
	}
	for _, t := range []string{"netlink", "packet"} {
		if b, err := read(t); err == nil && tableHasInode(b, ino) {
			return t
		}
	}
	return ""
}

// findInetSocket reads a /proc/net/tcp-style table:
// "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...".
func findInetSocket(table []byte, family, ino string) string {
	for i, line := range bytes.Split(table, []byte{'\n'}) {
		f := strings.Fields(string(line))
		if i == 0 || len(f) < 10 || f[9] != ino {
			continue
		}
		local, remote := inetAddr(f[1]), inetAddr(f[2])
		state := tcpState(f[3])
		s := family + " " + local
		if !strings.HasPrefix(family, "tcp") {
			// udp and raw "states" say little; a connected one has a peer.
			if !strings.HasSuffix(remote, ":0") {
				s += " -> " + remote
			}
			return s
		}
		if state == "listening" {
			return s + " listening"
		}
		return s + " -> " + remote + " " + state
	}
	return ""
}

// inetAddr decodes "0100007F:1F90" (IPv4) or a 32-hex-digit IPv6 address:
// each 32-bit word is in the host's byte order, little-endian on every
// platform runtimecheck runs on.
func inetAddr(s string) string {
	hexIP, hexPort, ok := strings.Cut(s, ":")
	if !ok {
		return s
	}
	raw, err := hex.DecodeString(hexIP)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return s
	}
	for w := 0; w+4 <= len(raw); w += 4 {
		raw[w], raw[w+1], raw[w+2], raw[w+3] = raw[w+3], raw[w+2], raw[w+1], raw[w]
	}
	port, err := strconv.ParseUint(hexPort, 16, 16)
	if err != nil {
		return s
	}
	addr, _ := netip.AddrFromSlice(raw)
	return netip.AddrPortFrom(addr.Unmap(), uint16(port)).String()
}

func tcpState(hexState string) string {
	switch strings.ToUpper(hexState) {
	case "01":
		return "established"
	case "02":
		return "syn-sent"
	case "03":
		return "syn-received"
	case "04":
		return "fin-wait-1"
	case "05":
		return "fin-wait-2"
	case "06":
		return "time-wait"
	case "07":
		return "closed"
	case "08":
		return "close-wait"
	case "09":
		return "last-ack"
	case "0A":
		return "listening"
	case "0B":
		return "closing"
	}
	return "state " + hexState
}

// findUnixSocket reads /proc/net/unix:
// "Num RefCount Protocol Flags Type St Inode Path".
func findUnixSocket(table []byte, ino string) string {
	for i, line := range bytes.Split(table, []byte{'\n'}) {
		f := strings.Fields(string(line))
		if i == 0 || len(f) < 7 || f[6] != ino {
			continue
		}
		s := "unix"
		switch f[4] {
		case "0002":
			s = "unixgram"
		case "0005":
			s = "unixpacket"
		}
		if len(f) >= 8 {
			s += " " + f[7] // '@' starts an abstract name
		}
		if f[3] == "00010000" {
			s += " listening"
		}
		return s
	}
	return ""
}

func tableHasInode(table []byte, ino string) bool {
	for line := range bytes.SplitSeq(table, []byte{'\n'}) {
		for _, f := range strings.Fields(string(line)) {
			if f == ino {
				return true
			}
		}
	}
	return false
}
