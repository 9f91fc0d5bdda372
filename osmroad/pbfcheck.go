package osmroad

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/paulmach/protoscan"
)

// Limits of the PBF format (the OSM wiki's "PBF Format" page).
const (
	maxBlobHeaderBytes = 64 << 10
	maxBlobBytes       = 32 << 20
)

// checkPBF reads a PBF file block by block, as the format lays it out
// (a length, a BlobHeader, a Blob), inflates each block and checks what
// the decoder would otherwise trust: sizes within the format's limits,
// string table indices in range, no plain (non-dense) nodes. It reports
// the first problem as an *Error naming the block and its byte offset, so
// that a corrupt or hostile file is an error, never a crash of a decoding
// goroutine.
func checkPBF(ctx context.Context, r io.Reader, name string) error {
	br := bufio.NewReaderSize(r, 1<<16)
	var offset int64
	var buf, raw []byte
	for block := 1; ; block++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("osmroad: reading %s: %w", name, err)
		}
		fail := func(format string, args ...any) error {
			return &Error{File: name, Element: fmt.Sprintf("block %d at byte %d", block, offset), Err: fmt.Errorf(format, args...)}
		}
		var size [4]byte
		n, err := io.ReadFull(br, size[:])
		if err == io.EOF && n == 0 {
			if block == 1 {
				return fail("the file is empty")
			}
			return nil
		}
		if err != nil {
			return fail("the file breaks off inside a block length: %w", err)
		}
		hlen := binary.BigEndian.Uint32(size[:])
		if hlen == 0 || hlen > maxBlobHeaderBytes {
			return fail("block header of %d bytes (at most %d): not an OpenStreetMap PBF file, or a corrupt one", hlen, maxBlobHeaderBytes)
		}
		buf = grow(buf, int(hlen))
		if _, err := io.ReadFull(br, buf); err != nil {
			return fail("the file breaks off inside a block header: %w", err)
		}
		typ, dlen, err := blobHeader(buf)
		if err != nil {
			return fail("block header: %w", err)
		}
		if dlen <= 0 || dlen > maxBlobBytes {
			return fail("block of %d bytes (at most %d)", dlen, maxBlobBytes)
		}
		buf = grow(buf, int(dlen))
		if _, err := io.ReadFull(br, buf); err != nil {
			return fail("the file breaks off inside a %s block: %w", typ, err)
		}
		if raw, err = inflate(buf, raw); err != nil {
			return fail("%s block: %w", typ, err)
		}
		switch {
		case typ == "OSMData":
			if err := checkPrimitiveBlock(raw); err != nil {
				return fail("data block: %w", err)
			}
		case typ != "OSMHeader":
			return fail("unknown block type %q", typ)
		case block != 1:
			return fail("a second header block")
		}
		offset += 4 + int64(hlen) + int64(dlen)
	}
}

func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

// blobHeader reads a BlobHeader's type (field 1) and data size (field 3).
func blobHeader(b []byte) (string, int32, error) {
	m := protoscan.New(b)
	typ, size := "", int32(-1)
	for m.Next() {
		var err error
		switch m.FieldNumber() {
		case 1:
			typ, err = m.String()
		case 3:
			size, err = m.Int32()
		default:
			m.Skip()
		}
		if err != nil {
			return "", 0, err
		}
	}
	if err := m.Err(); err != nil {
		return "", 0, err
	}
	if typ == "" || size < 0 {
		return "", 0, errors.New("no type or no size")
	}
	return typ, size, nil
}

// inflate returns the data of a Blob: raw (field 1) or zlib (field 3,
// with its raw size in field 2); other compressions are not supported.
func inflate(b, out []byte) ([]byte, error) {
	m := protoscan.New(b)
	var raw, zdata []byte
	rawSize := int32(-1)
	for m.Next() {
		var err error
		switch m.FieldNumber() {
		case 1:
			raw, err = m.Bytes()
		case 2:
			rawSize, err = m.Int32()
		case 3:
			zdata, err = m.Bytes()
		case 4, 5, 6, 7:
			return nil, fmt.Errorf("compression (field %d) not supported; only zlib and raw blocks are", m.FieldNumber())
		default:
			m.Skip()
		}
		if err != nil {
			return nil, err
		}
	}
	if err := m.Err(); err != nil {
		return nil, err
	}
	switch {
	case raw != nil:
		return raw, nil
	case zdata == nil:
		return nil, errors.New("no data")
	case rawSize < 0 || rawSize > maxBlobBytes:
		return nil, fmt.Errorf("raw size %d out of range (0 to %d)", rawSize, maxBlobBytes)
	}
	z, err := zlib.NewReader(bytes.NewReader(zdata))
	if err != nil {
		return nil, err
	}
	defer z.Close()
	out = grow(out, int(rawSize))
	if _, err := io.ReadFull(z, out); err != nil {
		return nil, fmt.Errorf("zlib data: %w", err)
	}
	if n, _ := z.Read(make([]byte, 1)); n > 0 {
		return nil, fmt.Errorf("zlib data longer than its raw size %d", rawSize)
	}
	return out, nil
}

// checkPrimitiveBlock checks the string table indices of a block's dense
// nodes and ways, and that it has no plain nodes.
func checkPrimitiveBlock(b []byte) error {
	m := protoscan.New(b)
	strs := 0
	for m.Next() {
		if m.FieldNumber() != 1 {
			m.Skip()
			continue
		}
		st, err := m.MessageData()
		if err != nil {
			return err
		}
		s := protoscan.New(st)
		for s.Next() {
			if s.FieldNumber() == 1 {
				strs++
			}
			s.Skip()
		}
		if err := s.Err(); err != nil {
			return fmt.Errorf("string table: %w", err)
		}
	}
	if err := m.Err(); err != nil {
		return err
	}
	m.Reset(nil)
	for m.Next() {
		if m.FieldNumber() != 2 {
			m.Skip()
			continue
		}
		g, err := m.MessageData()
		if err != nil {
			return err
		}
		if err := checkGroup(g, strs); err != nil {
			return err
		}
	}
	return m.Err()
}

func checkGroup(g []byte, strs int) error {
	m := protoscan.New(g)
	for m.Next() {
		switch m.FieldNumber() {
		case 1:
			return errors.New("plain (non-dense) nodes are not supported")
		case 2, 3: // dense nodes, ways
			d, err := m.MessageData()
			if err != nil {
				return err
			}
			if m.FieldNumber() == 2 {
				err = checkDense(d, strs)
			} else {
				err = checkWay(d, strs)
			}
			if err != nil {
				return err
			}
		default:
			m.Skip()
		}
	}
	return m.Err()
}

// checkDense checks keys_vals (field 10) and the user names of DenseInfo
// (field 5, its field 5: delta-coded).
func checkDense(d []byte, strs int) error {
	m := protoscan.New(d)
	for m.Next() {
		switch m.FieldNumber() {
		case 10:
			kv, err := m.RepeatedInt32(nil)
			if err != nil {
				return err
			}
			for _, v := range kv {
				if v < 0 || int(v) >= strs {
					return fmt.Errorf("dense nodes: tag string %d out of the table of %d", v, strs)
				}
			}
		case 5:
			info, err := m.MessageData()
			if err != nil {
				return err
			}
			im := protoscan.New(info)
			for im.Next() {
				if im.FieldNumber() != 5 {
					im.Skip()
					continue
				}
				us, err := im.RepeatedSint32(nil)
				if err != nil {
					return err
				}
				var sum int64
				for _, v := range us {
					if sum += int64(v); sum < 0 || sum >= int64(strs) {
						return fmt.Errorf("dense nodes: user string %d out of the table of %d", sum, strs)
					}
				}
			}
			if err := im.Err(); err != nil {
				return err
			}
		default:
			m.Skip()
		}
	}
	return m.Err()
}

// checkWay checks a way's keys (2) and values (3), as many of each, and
// the user name of its Info (4, its field 5).
func checkWay(d []byte, strs int) error {
	m := protoscan.New(d)
	var keys, vals int
	for m.Next() {
		switch m.FieldNumber() {
		case 2, 3:
			f := m.FieldNumber()
			xs, err := m.RepeatedUint32(nil)
			if err != nil {
				return err
			}
			for _, v := range xs {
				if int64(v) >= int64(strs) {
					return fmt.Errorf("way: tag string %d out of the table of %d", v, strs)
				}
			}
			if f == 2 {
				keys += len(xs)
			} else {
				vals += len(xs)
			}
		case 4:
			info, err := m.MessageData()
			if err != nil {
				return err
			}
			im := protoscan.New(info)
			for im.Next() {
				if im.FieldNumber() != 5 {
					im.Skip()
					continue
				}
				v, err := im.Uint32()
				if err != nil {
					return err
				}
				if int64(v) >= int64(strs) {
					return fmt.Errorf("way: user string %d out of the table of %d", v, strs)
				}
			}
			if err := im.Err(); err != nil {
				return err
			}
		default:
			m.Skip()
		}
	}
	if keys != vals {
		return fmt.Errorf("way: %d tag keys but %d values", keys, vals)
	}
	return m.Err()
}
