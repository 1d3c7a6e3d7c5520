package sockdiag

import "github.com/nltrace/nltrace/decode"

// tcpInfo is struct tcp_info as Linux 6.18 lays it out. The kernel sends
// as many bytes as its own struct has, which has only grown: 104 bytes
// before 3.15, 232 in 5.4, 248 in 6.7, 280 with AccECN. Members beyond
// the payload are left out; bytes beyond the last member (a newer kernel)
// are shown as trailing bytes.
var tcpInfo = decode.Layout{Name: "tcp_info", Size: 280, Members: []decode.Attr{
	{Name: "tcpi_state", Type: decode.U8, Sem: decode.EnumValue, Enum: &states, Off: 0},
	{Name: "tcpi_ca_state", Type: decode.U8, Sem: decode.EnumValue, Enum: &caStates, Off: 1},
	{Name: "tcpi_retransmits", Type: decode.U8, Off: 2},
	{Name: "tcpi_probes", Type: decode.U8, Off: 3},
	{Name: "tcpi_backoff", Type: decode.U8, Off: 4},
	{Name: "tcpi_options", Type: decode.U8, Sem: decode.FlagBits, Flags: &tcpiOptions, Off: 5},
	{Name: "tcpi_snd_wscale", Type: decode.U8, Off: 6, Bits: 4, Shift: 0},
	{Name: "tcpi_rcv_wscale", Type: decode.U8, Off: 6, Bits: 4, Shift: 4},
	{Name: "tcpi_delivery_rate_app_limited", Type: decode.U8, Off: 7, Bits: 1, Shift: 0},
	{Name: "tcpi_fastopen_client_fail", Type: decode.U8, Off: 7, Bits: 2, Shift: 1},
	{Name: "tcpi_rto", Type: decode.U32, Sem: decode.Micros, Off: 8},
	{Name: "tcpi_ato", Type: decode.U32, Sem: decode.Micros, Off: 12},
	{Name: "tcpi_snd_mss", Type: decode.U32, Off: 16},
	{Name: "tcpi_rcv_mss", Type: decode.U32, Off: 20},
	{Name: "tcpi_unacked", Type: decode.U32, Off: 24},
	{Name: "tcpi_sacked", Type: decode.U32, Off: 28},
	{Name: "tcpi_lost", Type: decode.U32, Off: 32},
	{Name: "tcpi_retrans", Type: decode.U32, Off: 36},
	{Name: "tcpi_fackets", Type: decode.U32, Off: 40},
	{Name: "tcpi_last_data_sent", Type: decode.U32, Sem: decode.Millis, Off: 44},
	{Name: "tcpi_last_ack_sent", Type: decode.U32, Sem: decode.Millis, Off: 48},
	{Name: "tcpi_last_data_recv", Type: decode.U32, Sem: decode.Millis, Off: 52},
	{Name: "tcpi_last_ack_recv", Type: decode.U32, Sem: decode.Millis, Off: 56},
	{Name: "tcpi_pmtu", Type: decode.U32, Off: 60},
	{Name: "tcpi_rcv_ssthresh", Type: decode.U32, Off: 64},
	{Name: "tcpi_rtt", Type: decode.U32, Sem: decode.Micros, Off: 68},
	{Name: "tcpi_rttvar", Type: decode.U32, Sem: decode.Micros, Off: 72},
	{Name: "tcpi_snd_ssthresh", Type: decode.U32, Off: 76},
	{Name: "tcpi_snd_cwnd", Type: decode.U32, Off: 80},
	{Name: "tcpi_advmss", Type: decode.U32, Off: 84},
	{Name: "tcpi_reordering", Type: decode.U32, Off: 88},
	{Name: "tcpi_rcv_rtt", Type: decode.U32, Sem: decode.Micros, Off: 92},
	{Name: "tcpi_rcv_space", Type: decode.U32, Off: 96},
	{Name: "tcpi_total_retrans", Type: decode.U32, Off: 100},
	{Name: "tcpi_pacing_rate", Type: decode.U64, Off: 104},
	{Name: "tcpi_max_pacing_rate", Type: decode.U64, Off: 112},
	{Name: "tcpi_bytes_acked", Type: decode.U64, Off: 120},
	{Name: "tcpi_bytes_received", Type: decode.U64, Off: 128},
	{Name: "tcpi_segs_out", Type: decode.U32, Off: 136},
	{Name: "tcpi_segs_in", Type: decode.U32, Off: 140},
	{Name: "tcpi_notsent_bytes", Type: decode.U32, Off: 144},
	{Name: "tcpi_min_rtt", Type: decode.U32, Sem: decode.Micros, Off: 148},
	{Name: "tcpi_data_segs_in", Type: decode.U32, Off: 152},
	{Name: "tcpi_data_segs_out", Type: decode.U32, Off: 156},
	{Name: "tcpi_delivery_rate", Type: decode.U64, Off: 160},
	{Name: "tcpi_busy_time", Type: decode.U64, Sem: decode.Micros, Off: 168},
	{Name: "tcpi_rwnd_limited", Type: decode.U64, Sem: decode.Micros, Off: 176},
	{Name: "tcpi_sndbuf_limited", Type: decode.U64, Sem: decode.Micros, Off: 184},
	{Name: "tcpi_delivered", Type: decode.U32, Off: 192},
	{Name: "tcpi_delivered_ce", Type: decode.U32, Off: 196},
	{Name: "tcpi_bytes_sent", Type: decode.U64, Off: 200},
	{Name: "tcpi_bytes_retrans", Type: decode.U64, Off: 208},
	{Name: "tcpi_dsack_dups", Type: decode.U32, Off: 216},
	{Name: "tcpi_reord_seen", Type: decode.U32, Off: 220},
	{Name: "tcpi_rcv_ooopack", Type: decode.U32, Off: 224},
	{Name: "tcpi_snd_wnd", Type: decode.U32, Off: 228},
	{Name: "tcpi_rcv_wnd", Type: decode.U32, Off: 232},
	{Name: "tcpi_rehash", Type: decode.U32, Off: 236},
	{Name: "tcpi_total_rto", Type: decode.U16, Off: 240},
	{Name: "tcpi_total_rto_recoveries", Type: decode.U16, Off: 242},
	{Name: "tcpi_total_rto_time", Type: decode.U32, Sem: decode.Millis, Off: 244},
	{Name: "tcpi_received_ce", Type: decode.U32, Off: 248},
	{Name: "tcpi_delivered_e1_bytes", Type: decode.U32, Off: 252},
	{Name: "tcpi_delivered_e0_bytes", Type: decode.U32, Off: 256},
	{Name: "tcpi_delivered_ce_bytes", Type: decode.U32, Off: 260},
	{Name: "tcpi_received_e1_bytes", Type: decode.U32, Off: 264},
	{Name: "tcpi_received_e0_bytes", Type: decode.U32, Off: 268},
	{Name: "tcpi_received_ce_bytes", Type: decode.U32, Off: 272},
	{Name: "tcpi_ecn_mode", Type: decode.U32, Sem: decode.EnumValue, Enum: &ecnModes, Off: 276, Bits: 2, Shift: 0},
	{Name: "tcpi_accecn_opt_seen", Type: decode.U32, Off: 276, Bits: 2, Shift: 2},
	{Name: "tcpi_accecn_fail_mode", Type: decode.U32, Off: 276, Bits: 4, Shift: 4},
	{Name: "tcpi_options2", Type: decode.U32, Off: 276, Bits: 24, Shift: 8},
}}

var caStates = decode.Enum{Name: "TCP_CA", Names: []string{"Open", "Disorder", "CWR", "Recovery", "Loss"}}

// tcpiOptions names TCPI_OPT_* as ss shows them.
var tcpiOptions = decode.FlagSet{Name: "TCPI_OPT", Sep: " ", Bits: []string{
	"ts", "sack", "wscale", "ecn", "ecnseen", "fastopen", "usec_ts", "tfo_child",
}}

var ecnModes = decode.Enum{Name: "TCPI_ECN_MODE", Names: []string{"disabled", "rfc3168", "accecn", "pending"}}

var vegasInfo = decode.Layout{Name: "tcpvegas_info", Size: 16, Members: []decode.Attr{
	{Name: "tcpv_enabled", Type: decode.U32, Off: 0},
	{Name: "tcpv_rttcnt", Type: decode.U32, Off: 4},
	{Name: "tcpv_rtt", Type: decode.U32, Sem: decode.Micros, Off: 8},
	{Name: "tcpv_minrtt", Type: decode.U32, Sem: decode.Micros, Off: 12},
}}

var dctcpInfo = decode.Layout{Name: "tcp_dctcp_info", Size: 16, Members: []decode.Attr{
	{Name: "dctcp_enabled", Type: decode.U16, Off: 0},
	{Name: "dctcp_ce_state", Type: decode.U16, Off: 2},
	{Name: "dctcp_alpha", Type: decode.U32, Off: 4},
	{Name: "dctcp_ab_ecn", Type: decode.U32, Off: 8},
	{Name: "dctcp_ab_tot", Type: decode.U32, Off: 12},
}}

var bbrInfo = decode.Layout{Name: "tcp_bbr_info", Size: 20, Members: []decode.Attr{
	{Name: "bbr_bw_lo", Type: decode.U32, Off: 0},
	{Name: "bbr_bw_hi", Type: decode.U32, Off: 4},
	{Name: "bbr_min_rtt", Type: decode.U32, Sem: decode.Micros, Off: 8},
	{Name: "bbr_pacing_gain", Type: decode.U32, Off: 12},
	{Name: "bbr_cwnd_gain", Type: decode.U32, Off: 16},
}}

var mptcpInfoFlags = decode.FlagSet{Name: "MPTCP_INFO_FLAG", Bits: []string{"fallback", "remote_key_received"}}

// mptcpInfo is struct mptcp_info, which also only grew (5.7, 5.12, 5.14,
// 6.5, 6.8, 6.10, 6.18).
var mptcpInfo = decode.Layout{Name: "mptcp_info", Size: 96, Members: []decode.Attr{
	{Name: "mptcpi_subflows", Type: decode.U8, Off: 0},
	{Name: "mptcpi_add_addr_signal", Type: decode.U8, Off: 1},
	{Name: "mptcpi_add_addr_accepted", Type: decode.U8, Off: 2},
	{Name: "mptcpi_subflows_max", Type: decode.U8, Off: 3},
	{Name: "mptcpi_add_addr_signal_max", Type: decode.U8, Off: 4},
	{Name: "mptcpi_add_addr_accepted_max", Type: decode.U8, Off: 5},
	{Name: "mptcpi_flags", Type: decode.U32, Sem: decode.FlagBits, Flags: &mptcpInfoFlags, Off: 8},
	{Name: "mptcpi_token", Type: decode.U32, Sem: decode.Hex, Off: 12},
	{Name: "mptcpi_write_seq", Type: decode.U64, Off: 16},
	{Name: "mptcpi_snd_una", Type: decode.U64, Off: 24},
	{Name: "mptcpi_rcv_nxt", Type: decode.U64, Off: 32},
	{Name: "mptcpi_local_addr_used", Type: decode.U8, Off: 40},
	{Name: "mptcpi_local_addr_max", Type: decode.U8, Off: 41},
	{Name: "mptcpi_csum_enabled", Type: decode.U8, Off: 42},
	{Name: "mptcpi_retransmits", Type: decode.U32, Off: 44},
	{Name: "mptcpi_bytes_retrans", Type: decode.U64, Off: 48},
	{Name: "mptcpi_bytes_sent", Type: decode.U64, Off: 56},
	{Name: "mptcpi_bytes_received", Type: decode.U64, Off: 64},
	{Name: "mptcpi_bytes_acked", Type: decode.U64, Off: 72},
	{Name: "mptcpi_subflows_total", Type: decode.U8, Off: 80},
	{Name: "mptcpi_endp_laminar_max", Type: decode.U8, Off: 81},
	{Name: "mptcpi_endp_fullmesh_max", Type: decode.U8, Off: 82},
	{Name: "mptcpi_last_data_sent", Type: decode.U32, Sem: decode.Millis, Off: 84},
	{Name: "mptcpi_last_data_recv", Type: decode.U32, Sem: decode.Millis, Off: 88},
	{Name: "mptcpi_last_ack_recv", Type: decode.U32, Sem: decode.Millis, Off: 92},
}}

var sctpStates = decode.Enum{Name: "SCTP_STATE", Names: []string{
	"CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED", "SHUTDOWN_PENDING",
	"SHUTDOWN_SENT", "SHUTDOWN_RECEIVED", "SHUTDOWN_ACK_SENT",
}}

var sockaddrStorage = decode.Attr{Name: "sctpi_p_address", Type: decode.Custom, Custom: sockaddr, Off: 168, Len: 128}

// sctpInfo is struct sctp_info (linux/sctp.h), SCTP's INET_DIAG_INFO.
var sctpInfo = decode.Layout{Name: "sctp_info", Size: 368, Members: []decode.Attr{
	{Name: "sctpi_tag", Type: decode.U32, Sem: decode.Hex, Off: 0},
	{Name: "sctpi_state", Type: decode.U32, Sem: decode.EnumValue, Enum: &sctpStates, Off: 4},
	{Name: "sctpi_rwnd", Type: decode.U32, Off: 8},
	{Name: "sctpi_unackdata", Type: decode.U16, Off: 12},
	{Name: "sctpi_penddata", Type: decode.U16, Off: 14},
	{Name: "sctpi_instrms", Type: decode.U16, Off: 16},
	{Name: "sctpi_outstrms", Type: decode.U16, Off: 18},
	{Name: "sctpi_fragmentation_point", Type: decode.U32, Off: 20},
	{Name: "sctpi_inqueue", Type: decode.U32, Off: 24},
	{Name: "sctpi_outqueue", Type: decode.U32, Off: 28},
	{Name: "sctpi_overall_error", Type: decode.U32, Off: 32},
	{Name: "sctpi_max_burst", Type: decode.U32, Off: 36},
	{Name: "sctpi_maxseg", Type: decode.U32, Off: 40},
	{Name: "sctpi_peer_rwnd", Type: decode.U32, Off: 44},
	{Name: "sctpi_peer_tag", Type: decode.U32, Sem: decode.Hex, Off: 48},
	{Name: "sctpi_peer_capable", Type: decode.U8, Off: 52},
	{Name: "sctpi_peer_sack", Type: decode.U8, Off: 53},
	{Name: "sctpi_isacks", Type: decode.U64, Off: 56},
	{Name: "sctpi_osacks", Type: decode.U64, Off: 64},
	{Name: "sctpi_opackets", Type: decode.U64, Off: 72},
	{Name: "sctpi_ipackets", Type: decode.U64, Off: 80},
	{Name: "sctpi_rtxchunks", Type: decode.U64, Off: 88},
	{Name: "sctpi_outofseqtsns", Type: decode.U64, Off: 96},
	{Name: "sctpi_idupchunks", Type: decode.U64, Off: 104},
	{Name: "sctpi_gapcnt", Type: decode.U64, Off: 112},
	{Name: "sctpi_ouodchunks", Type: decode.U64, Off: 120},
	{Name: "sctpi_iuodchunks", Type: decode.U64, Off: 128},
	{Name: "sctpi_oodchunks", Type: decode.U64, Off: 136},
	{Name: "sctpi_iodchunks", Type: decode.U64, Off: 144},
	{Name: "sctpi_octrlchunks", Type: decode.U64, Off: 152},
	{Name: "sctpi_ictrlchunks", Type: decode.U64, Off: 160},
	sockaddrStorage,
	{Name: "sctpi_p_state", Type: decode.S32, Off: 296},
	{Name: "sctpi_p_cwnd", Type: decode.U32, Off: 300},
	{Name: "sctpi_p_srtt", Type: decode.U32, Sem: decode.Millis, Off: 304},
	{Name: "sctpi_p_rto", Type: decode.U32, Sem: decode.Millis, Off: 308},
	{Name: "sctpi_p_hbinterval", Type: decode.U32, Sem: decode.Millis, Off: 312},
	{Name: "sctpi_p_pathmaxrxt", Type: decode.U32, Off: 316},
	{Name: "sctpi_p_sackdelay", Type: decode.U32, Sem: decode.Millis, Off: 320},
	{Name: "sctpi_p_sackfreq", Type: decode.U32, Off: 324},
	{Name: "sctpi_p_ssthresh", Type: decode.U32, Off: 328},
	{Name: "sctpi_p_partial_bytes_acked", Type: decode.U32, Off: 332},
	{Name: "sctpi_p_flight_size", Type: decode.U32, Off: 336},
	{Name: "sctpi_p_error", Type: decode.U16, Off: 340},
	{Name: "sctpi_s_autoclose", Type: decode.U32, Off: 344},
	{Name: "sctpi_s_adaptation_ind", Type: decode.U32, Off: 348},
	{Name: "sctpi_s_pd_point", Type: decode.U32, Off: 352},
	{Name: "sctpi_s_nodelay", Type: decode.U8, Off: 356},
	{Name: "sctpi_s_disable_fragments", Type: decode.U8, Off: 357},
	{Name: "sctpi_s_v4mapped", Type: decode.U8, Off: 358},
	{Name: "sctpi_s_frag_interleave", Type: decode.U8, Off: 359},
	{Name: "sctpi_s_type", Type: decode.U32, Off: 360},
}}
