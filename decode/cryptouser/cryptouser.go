// Package cryptouser is the NETLINK_CRYPTO schema for the decoder: the
// CRYPTO_MSG_* messages of the kernel's crypto user API (list, add,
// update and delete algorithms), their struct crypto_user_alg, and the
// CRYPTOCFGA_* attributes: the priority, each algorithm type's report
// (hash, cipher, skcipher, aead, rng, ...) and the statistics older
// kernels sent.
//
// Register it with decode.NewRegistry(cryptouser.Family()).
package cryptouser

import (
	"github.com/nltrace/nltrace/decode"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// Family returns the NETLINK_CRYPTO decoder.
func Family() *decode.Family {
	return &decode.Family{Protocol: unix.NETLINK_CRYPTO, Name: "crypto", Types: types}
}

// CRYPTO_MSG_* (linux/cryptouser.h).
var types = []decode.MessageType{
	0x10: {Name: "CRYPTO_MSG_NEWALG", Op: decode.OpNew, Header: &userAlg, Attrs: &attrs},
	0x11: {Name: "CRYPTO_MSG_DELALG", Op: decode.OpDel, Header: &userAlg, Attrs: &attrs},
	0x12: {Name: "CRYPTO_MSG_UPDATEALG", Op: decode.OpSet, Header: &userAlg, Attrs: &attrs},
	0x13: {Name: "CRYPTO_MSG_GETALG", Op: decode.OpGet, Header: &userAlg, Attrs: &attrs},
	0x14: {Name: "CRYPTO_MSG_DELRNG", Op: decode.OpDel, Header: &userAlg, Attrs: &attrs},
	0x15: {Name: "CRYPTO_MSG_GETSTAT", Op: decode.OpGet, Header: &userAlg, Attrs: &attrs},
}

const maxName = 64 // CRYPTO_MAX_NAME

// userAlg is struct crypto_user_alg. cru_type and cru_mask hold the
// kernel's CRYPTO_ALG_* bits (the type in the low nibble), shown in hex.
var userAlg = decode.Layout{Name: "crypto_user_alg", Size: 3*maxName + 16, Members: []decode.Attr{
	{Name: "cru_name", Type: decode.String, Off: 0, Len: maxName},
	{Name: "cru_driver_name", Type: decode.String, Off: maxName, Len: maxName},
	{Name: "cru_module_name", Type: decode.String, Off: 2 * maxName, Len: maxName},
	{Name: "cru_type", Type: decode.U32, Sem: decode.Hex, Off: 3 * maxName},
	{Name: "cru_mask", Type: decode.U32, Sem: decode.Hex, Off: 3*maxName + 4},
	{Name: "cru_refcnt", Type: decode.U32, Off: 3*maxName + 8},
	{Name: "cru_flags", Type: decode.U32, Sem: decode.Hex, Off: 3*maxName + 12},
}}

// report returns a crypto_report_* or crypto_stat_* layout: the type
// name, then u32 (reports) or u64 (statistics) members, optionally after
// a geniv name.
func report(name string, geniv bool, size decode.Type, members ...string) *decode.Layout {
	l := &decode.Layout{Name: name, Members: []decode.Attr{{Name: "type", Type: decode.String, Off: 0, Len: maxName}}}
	off := maxName
	if geniv {
		l.Members = append(l.Members, decode.Attr{Name: "geniv", Type: decode.String, Off: off, Len: maxName})
		off += maxName
	}
	step := 4
	if size == decode.U64 {
		step = 8
	}
	for _, m := range members {
		l.Members = append(l.Members, decode.Attr{Name: m, Type: size, Off: off})
		off += step
	}
	l.Size = off
	return l
}

var attrs = decode.AttrSet{Name: "CRYPTOCFGA", Attrs: []decode.Attr{
	1:  {Name: "CRYPTOCFGA_PRIORITY_VAL", Type: decode.U32},
	2:  {Name: "CRYPTOCFGA_REPORT_LARVAL", Type: decode.Struct, Struct: report("crypto_report_larval", false, decode.U32)},
	3:  {Name: "CRYPTOCFGA_REPORT_HASH", Type: decode.Struct, Struct: report("crypto_report_hash", false, decode.U32, "blocksize", "digestsize")},
	4:  {Name: "CRYPTOCFGA_REPORT_BLKCIPHER", Type: decode.Struct, Struct: report("crypto_report_blkcipher", true, decode.U32, "blocksize", "min_keysize", "max_keysize", "ivsize")},
	5:  {Name: "CRYPTOCFGA_REPORT_AEAD", Type: decode.Struct, Struct: report("crypto_report_aead", true, decode.U32, "blocksize", "maxauthsize", "ivsize")},
	6:  {Name: "CRYPTOCFGA_REPORT_COMPRESS", Type: decode.Struct, Struct: report("crypto_report_comp", false, decode.U32)},
	7:  {Name: "CRYPTOCFGA_REPORT_RNG", Type: decode.Struct, Struct: report("crypto_report_rng", false, decode.U32, "seedsize")},
	8:  {Name: "CRYPTOCFGA_REPORT_CIPHER", Type: decode.Struct, Struct: report("crypto_report_cipher", false, decode.U32, "blocksize", "min_keysize", "max_keysize")},
	9:  {Name: "CRYPTOCFGA_REPORT_AKCIPHER", Type: decode.Struct, Struct: report("crypto_report_akcipher", false, decode.U32)},
	10: {Name: "CRYPTOCFGA_REPORT_KPP", Type: decode.Struct, Struct: report("crypto_report_kpp", false, decode.U32)},
	11: {Name: "CRYPTOCFGA_REPORT_ACOMP", Type: decode.Struct, Struct: report("crypto_report_acomp", false, decode.U32)},
	// Statistics, which Linux 6.7 stopped collecting.
	12: {Name: "CRYPTOCFGA_STAT_LARVAL", Type: decode.Struct, Struct: report("crypto_stat_larval", false, decode.U64)},
	13: {Name: "CRYPTOCFGA_STAT_HASH", Type: decode.Struct, Struct: report("crypto_stat_hash", false, decode.U64, "stat_hash_cnt", "stat_hash_tlen", "stat_err_cnt")},
	14: {Name: "CRYPTOCFGA_STAT_BLKCIPHER", Type: decode.Struct, Struct: cipherStat},
	15: {Name: "CRYPTOCFGA_STAT_AEAD", Type: decode.Struct, Struct: report("crypto_stat_aead", false, decode.U64, "stat_encrypt_cnt", "stat_encrypt_tlen", "stat_decrypt_cnt", "stat_decrypt_tlen", "stat_err_cnt")},
	16: {Name: "CRYPTOCFGA_STAT_COMPRESS", Type: decode.Struct, Struct: compressStat},
	17: {Name: "CRYPTOCFGA_STAT_RNG", Type: decode.Struct, Struct: report("crypto_stat_rng", false, decode.U64, "stat_generate_cnt", "stat_generate_tlen", "stat_seed_cnt", "stat_err_cnt")},
	18: {Name: "CRYPTOCFGA_STAT_CIPHER", Type: decode.Struct, Struct: cipherStat},
	19: {Name: "CRYPTOCFGA_STAT_AKCIPHER", Type: decode.Struct, Struct: report("crypto_stat_akcipher", false, decode.U64, "stat_encrypt_cnt", "stat_encrypt_tlen", "stat_decrypt_cnt", "stat_decrypt_tlen", "stat_verify_cnt", "stat_sign_cnt", "stat_err_cnt")},
	20: {Name: "CRYPTOCFGA_STAT_KPP", Type: decode.Struct, Struct: report("crypto_stat_kpp", false, decode.U64, "stat_setsecret_cnt", "stat_generate_public_key_cnt", "stat_compute_shared_secret_cnt", "stat_err_cnt")},
	21: {Name: "CRYPTOCFGA_STAT_ACOMP", Type: decode.Struct, Struct: compressStat},
}}

var (
	cipherStat   = report("crypto_stat_cipher", false, decode.U64, "stat_encrypt_cnt", "stat_encrypt_tlen", "stat_decrypt_cnt", "stat_decrypt_tlen", "stat_err_cnt")
	compressStat = report("crypto_stat_compress", false, decode.U64, "stat_compress_cnt", "stat_compress_tlen", "stat_decompress_cnt", "stat_decompress_tlen", "stat_err_cnt")
)
