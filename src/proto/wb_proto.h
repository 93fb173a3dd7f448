/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Result codes shared by every wire decoder. Decoders are pure functions over
 * (buf, len): they return the number of bytes consumed (> 0) or one of these
 * negative codes, and never read outside [buf, buf + len).
 */
#ifndef WB_PROTO_H
#define WB_PROTO_H

enum wb_proto_rc {
	WB_PROTO_TRUNCATED = -1, /* fewer bytes than the header/length says */
	WB_PROTO_MALFORMED = -2, /* length or field inconsistent with the spec */
	WB_PROTO_UNKNOWN = -3,   /* unknown message type (length still known) */
};

static inline const char *
wb_proto_rc_name(int rc)
{
	switch (rc) {
	case WB_PROTO_TRUNCATED:
		return "truncated";
	case WB_PROTO_MALFORMED:
		return "malformed";
	case WB_PROTO_UNKNOWN:
		return "unknown";
	default:
		return rc >= 0 ? "ok" : "error";
	}
}

#endif /* WB_PROTO_H */
