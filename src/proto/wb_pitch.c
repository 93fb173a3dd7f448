/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cboe Multicast Depth of Book PITCH decode and encode.
 *
 * Why it looks like this: as for ITCH, decode makes one length check against
 * a 256-entry table (which also tells a decoded type from one to skip) and
 * then only does fixed-offset little-endian loads below the type's minimum
 * length; the optional tail fields are read only when the length byte says
 * they are there. The offsets are the US equities spec's (length 0, type 1,
 * time offset 2..5, body from 6); the futures and options variants use the
 * same offsets for every field decoded here. The options' Symbol Mapping
 * (0x2E) is the one message of another shape: no time offset, its feed
 * symbol at 2 (C1 options spec; the real capture's bytes agree). The CFE
 * Futures Instrument Definition (0xBB) has the time offset and is variable
 * length: symbol[6] at 6, unit timestamp u32 at 12, report symbol[6] at 16,
 * futures flags at 22, expiration date u32 at 23, contract size u16 at 27,
 * listing state at 29, price increment u64 at 30, leg count at 38, leg
 * offset at 39, variance block offset at 40 (41 bytes, v1.1.6); v1.1.12
 * adds the contract date u32 at 41; leg_count legs (s32 ratio, symbol[6])
 * start at the leg offset (the two real captures' bytes and decodes).
 *
 * encode is the inverse at the equities spec length, so the round trip in
 * the tests pins both directions to the same offsets.
 */
#include "wb_pitch.h"

#include "wb_compiler.h"

const uint8_t wb_pitch_types[WB_PITCH_NTYPES] = {
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29,
    0x2A, 0x2B, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0x97, 0xBB,
};

const uint8_t wb_pitch_min_len[256] = {
    [0x20] = 6,	 [0x21] = 33, [0x22] = 25, [0x23] = 26, [0x24] = 38, [0x25] = 18, [0x26] = 16,
    [0x27] = 26, [0x28] = 18, [0x29] = 14, [0x2A] = 41, [0x2B] = 33, [0x2D] = 6,  [0x2E] = 38,
    [0x2F] = 35, [0x30] = 43, [0x31] = 18, [0x97] = 6,	[0xBB] = 41,
};

const uint8_t wb_pitch_side_ok[256] = {['B'] = 1, ['S'] = 1};

/* The equities spec lengths: the minimum plus the flags / participant tails
 * (0xBB: without contract date and legs, wb_pitch_encode() adds them). */
static const uint8_t pitch_spec_len[256] = {
    [0x20] = 6,	 [0x21] = 34, [0x22] = 26, [0x23] = 26, [0x24] = 38, [0x25] = 18, [0x26] = 16,
    [0x27] = 27, [0x28] = 19, [0x29] = 14, [0x2A] = 41, [0x2B] = 33, [0x2D] = 6,  [0x2E] = 38,
    [0x2F] = 40, [0x30] = 43, [0x31] = 18, [0x97] = 6,	[0xBB] = 41,
};

int
wb_pitch_type_index(uint8_t type)
{
	int i;

	for (i = 0; i < WB_PITCH_NTYPES; i++)
		if (wb_pitch_types[i] == type)
			return i;
	return -1;
}

const char *
wb_pitch_type_name(uint8_t type)
{
	switch (type) {
	case WB_PITCH_TIME:
		return "Time";
	case WB_PITCH_ADD_LONG:
		return "AddOrderLong";
	case WB_PITCH_ADD_SHORT:
		return "AddOrderShort";
	case WB_PITCH_ORDER_EXECUTED:
		return "OrderExecuted";
	case WB_PITCH_EXECUTED_AT_PRICE:
		return "OrderExecutedAtPriceSize";
	case WB_PITCH_REDUCE_LONG:
		return "ReduceSizeLong";
	case WB_PITCH_REDUCE_SHORT:
		return "ReduceSizeShort";
	case WB_PITCH_MODIFY_LONG:
		return "ModifyOrderLong";
	case WB_PITCH_MODIFY_SHORT:
		return "ModifyOrderShort";
	case WB_PITCH_DELETE:
		return "DeleteOrder";
	case WB_PITCH_TRADE_LONG:
		return "TradeLong";
	case WB_PITCH_TRADE_SHORT:
		return "TradeShort";
	case WB_PITCH_END_OF_SESSION:
		return "EndOfSession";
	case WB_PITCH_SYMBOL_MAPPING:
		return "SymbolMapping";
	case WB_PITCH_ADD_EXPANDED:
		return "AddOrderExpanded";
	case WB_PITCH_TRADE_EXPANDED:
		return "TradeExpanded";
	case WB_PITCH_TRADING_STATUS:
		return "TradingStatus";
	case WB_PITCH_UNIT_CLEAR:
		return "UnitClear";
	case WB_PITCH_FUTURES_DEF:
		return "FuturesInstrumentDefinition";
	default:
		return NULL;
	}
}

unsigned int
wb_pitch_spec_len(uint8_t type)
{
	return pitch_spec_len[type];
}

int
wb_pitch_parse(const uint8_t *buf, size_t len, struct wb_pitch_pkt *pkt)
{
	const uint8_t *p, *end;
	unsigned int i;

	if (wb_unlikely(len < WB_PITCH_HDR_LEN))
		return WB_PROTO_TRUNCATED;
	pkt->length = wb_pitch_le16(buf);
	pkt->count = buf[2];
	pkt->unit = buf[3];
	pkt->seq = wb_pitch_le32(buf + 4);
	if (wb_unlikely(pkt->length < WB_PITCH_HDR_LEN))
		return WB_PROTO_MALFORMED;
	if (wb_unlikely(pkt->length > len))
		return WB_PROTO_TRUNCATED;
	/* the unit's next number (seq + count) must fit its 32 bits: a wrap
	 * would read as "unit not started" and a hold as never filled */
	if (wb_unlikely((uint64_t)pkt->seq + pkt->count > UINT32_MAX))
		return WB_PROTO_MALFORMED;
	pkt->msgs = buf + WB_PITCH_HDR_LEN;
	pkt->end = buf + pkt->length;
	p = pkt->msgs;
	end = pkt->end;
	for (i = 0; i < pkt->count; i++) {
		if (wb_unlikely(end - p < 2))
			return WB_PROTO_TRUNCATED;
		if (wb_unlikely(p[0] < 2))
			return WB_PROTO_MALFORMED;
		if (wb_unlikely((size_t)(end - p) < p[0]))
			return WB_PROTO_TRUNCATED;
		p += p[0];
	}
	if (wb_unlikely(p != end))
		return WB_PROTO_MALFORMED;
	return pkt->length;
}

static inline int
pitch_side_ok(uint8_t side)
{
	return wb_pitch_side_ok[side];
}

static inline int64_t
pitch_short_px(const uint8_t *p, unsigned int flags)
{
	uint16_t v = wb_pitch_le16(p);

	return (flags & WB_PITCH_SIGNED_PRICES) ? (int64_t)(int16_t)v : (int64_t)v;
}

/* 0 and *out, or -1 for an unsigned price that does not fit int64. */
static inline int
pitch_long_px(const uint8_t *p, unsigned int flags, int64_t *out)
{
	uint64_t v = wb_pitch_le64(p);

	*out = (int64_t)v;
	return (v >> 63) != 0 && !(flags & WB_PITCH_SIGNED_PRICES) ? -1 : 0;
}

int
wb_pitch_decode(const uint8_t *buf, size_t len, unsigned int flags, struct wb_pitch_msg *m)
{
	unsigned int ml;
	uint8_t type;
	int bad = 0;

	if (wb_unlikely(len < 2))
		return WB_PROTO_TRUNCATED;
	type = buf[1];
	m->type = type;
	m->len = buf[0];
	m->raw = buf;
	if (wb_unlikely(buf[0] != len))
		return WB_PROTO_MALFORMED;
	ml = wb_pitch_min_len[type];
	if (wb_unlikely(ml == 0))
		return WB_PROTO_UNKNOWN;
	if (wb_unlikely(len < ml))
		return WB_PROTO_MALFORMED;

	/* From here on every message is at least 6 bytes and at least ml long. */
	m->time_offset = wb_pitch_le32(buf + 2);
	switch (type) {
	case WB_PITCH_TIME:
		m->time_offset = 0;
		m->u.time.seconds = wb_pitch_le32(buf + 2);
		m->u.time.has_epoch = len >= 10;
		m->u.time.epoch = len >= 10 ? wb_pitch_le32(buf + 6) : 0;
		break;
	case WB_PITCH_ADD_LONG:
	case WB_PITCH_ADD_SHORT:
	case WB_PITCH_ADD_EXPANDED: {
		unsigned int fl; /* offset of the flags byte */

		m->u.add.order_id = wb_pitch_le64(buf + 6);
		m->u.add.side = buf[14];
		m->u.add.symbol = buf + (type == WB_PITCH_ADD_SHORT ? 17 : 19);
		m->u.add.participant_id = NULL;
		if (type == WB_PITCH_ADD_SHORT) {
			m->u.add.quantity = wb_pitch_le16(buf + 15);
			m->u.add.symbol_len = WB_PITCH_SYMBOL_LEN;
			m->u.add.price = pitch_short_px(buf + 23, flags);
			m->u.add.price_exp = WB_PITCH_SHORT_PRICE_EXP;
			fl = 25;
		} else {
			m->u.add.quantity = wb_pitch_le32(buf + 15);
			m->u.add.symbol_len = type == WB_PITCH_ADD_LONG ? WB_PITCH_SYMBOL_LEN
									: WB_PITCH_SYMBOL_LONG_LEN;
			fl = type == WB_PITCH_ADD_LONG ? 33 : 35;
			bad = pitch_long_px(buf + fl - 8, flags, &m->u.add.price);
			m->u.add.price_exp = WB_PITCH_LONG_PRICE_EXP;
			if (type == WB_PITCH_ADD_EXPANDED && len >= 40)
				m->u.add.participant_id = buf + 36;
		}
		m->u.add.has_flags = len > fl;
		m->u.add.flags = len > fl ? buf[fl] : 0;
		if (wb_unlikely(bad || !pitch_side_ok(m->u.add.side)))
			return WB_PROTO_MALFORMED;
		break;
	}
	case WB_PITCH_ORDER_EXECUTED:
		m->u.executed.order_id = wb_pitch_le64(buf + 6);
		m->u.executed.executed_quantity = wb_pitch_le32(buf + 14);
		m->u.executed.execution_id = wb_pitch_le64(buf + 18);
		m->u.executed.has_trade_condition = len > 26;
		m->u.executed.trade_condition = len > 26 ? buf[26] : 0;
		break;
	case WB_PITCH_EXECUTED_AT_PRICE:
		m->u.executed_price.order_id = wb_pitch_le64(buf + 6);
		m->u.executed_price.executed_quantity = wb_pitch_le32(buf + 14);
		m->u.executed_price.remaining_quantity = wb_pitch_le32(buf + 18);
		m->u.executed_price.execution_id = wb_pitch_le64(buf + 22);
		m->u.executed_price.price_exp = WB_PITCH_LONG_PRICE_EXP;
		if (wb_unlikely(pitch_long_px(buf + 30, flags, &m->u.executed_price.price)))
			return WB_PROTO_MALFORMED;
		break;
	case WB_PITCH_REDUCE_LONG:
	case WB_PITCH_REDUCE_SHORT:
		m->u.reduce.order_id = wb_pitch_le64(buf + 6);
		m->u.reduce.canceled_quantity = type == WB_PITCH_REDUCE_LONG
						    ? wb_pitch_le32(buf + 14)
						    : wb_pitch_le16(buf + 14);
		break;
	case WB_PITCH_MODIFY_LONG:
	case WB_PITCH_MODIFY_SHORT: {
		unsigned int fl = type == WB_PITCH_MODIFY_LONG ? 26 : 18;

		m->u.modify.order_id = wb_pitch_le64(buf + 6);
		if (type == WB_PITCH_MODIFY_LONG) {
			m->u.modify.quantity = wb_pitch_le32(buf + 14);
			bad = pitch_long_px(buf + 18, flags, &m->u.modify.price);
			m->u.modify.price_exp = WB_PITCH_LONG_PRICE_EXP;
		} else {
			m->u.modify.quantity = wb_pitch_le16(buf + 14);
			m->u.modify.price = pitch_short_px(buf + 16, flags);
			m->u.modify.price_exp = WB_PITCH_SHORT_PRICE_EXP;
		}
		m->u.modify.has_flags = len > fl;
		m->u.modify.flags = len > fl ? buf[fl] : 0;
		if (wb_unlikely(bad))
			return WB_PROTO_MALFORMED;
		break;
	}
	case WB_PITCH_DELETE:
		m->u.del.order_id = wb_pitch_le64(buf + 6);
		break;
	case WB_PITCH_TRADE_LONG:
	case WB_PITCH_TRADE_SHORT:
	case WB_PITCH_TRADE_EXPANDED:
		m->u.trade.order_id = wb_pitch_le64(buf + 6);
		m->u.trade.side = buf[14];
		m->u.trade.symbol = buf + (type == WB_PITCH_TRADE_SHORT ? 17 : 19);
		if (type == WB_PITCH_TRADE_SHORT) {
			m->u.trade.quantity = wb_pitch_le16(buf + 15);
			m->u.trade.symbol_len = WB_PITCH_SYMBOL_LEN;
			m->u.trade.price = pitch_short_px(buf + 23, flags);
			m->u.trade.price_exp = WB_PITCH_SHORT_PRICE_EXP;
			m->u.trade.execution_id = wb_pitch_le64(buf + 25);
		} else {
			unsigned int po = type == WB_PITCH_TRADE_LONG ? 25 : 27;

			m->u.trade.quantity = wb_pitch_le32(buf + 15);
			m->u.trade.symbol_len = type == WB_PITCH_TRADE_LONG
						    ? WB_PITCH_SYMBOL_LEN
						    : WB_PITCH_SYMBOL_LONG_LEN;
			bad = pitch_long_px(buf + po, flags, &m->u.trade.price);
			m->u.trade.price_exp = WB_PITCH_LONG_PRICE_EXP;
			m->u.trade.execution_id = wb_pitch_le64(buf + po + 8);
		}
		if (wb_unlikely(bad || !pitch_side_ok(m->u.trade.side)))
			return WB_PROTO_MALFORMED;
		break;
	case WB_PITCH_TRADING_STATUS:
		m->u.trading_status.symbol = buf + 6;
		m->u.trading_status.trading_status = buf[14];
		m->u.trading_status.reg_sho_action = buf[15];
		m->u.trading_status.reserved1 = buf[16];
		m->u.trading_status.reserved2 = buf[17];
		break;
	case WB_PITCH_SYMBOL_MAPPING:
		/* no time offset: what was read at 2 is the feed symbol's */
		m->time_offset = 0;
		m->u.symbol_mapping.feed_symbol = buf + 2;
		m->u.symbol_mapping.osi_symbol = buf + 8;
		m->u.symbol_mapping.symbol_condition = buf[29];
		m->u.symbol_mapping.underlying = buf + 30;
		break;
	case WB_PITCH_FUTURES_DEF: {
		unsigned int fixed; /* where the fixed part ends: the legs, or len */

		m->u.futures_def.symbol = buf + 6;
		m->u.futures_def.unit_timestamp = wb_pitch_le32(buf + 12);
		m->u.futures_def.report_symbol = buf + 16;
		m->u.futures_def.futures_flags = buf[22];
		m->u.futures_def.expiration_date = wb_pitch_le32(buf + 23);
		m->u.futures_def.contract_size = wb_pitch_le16(buf + 27);
		m->u.futures_def.listing_state = buf[29];
		bad = pitch_long_px(buf + 30, flags, &m->u.futures_def.price_increment);
		m->u.futures_def.price_exp = WB_PITCH_LONG_PRICE_EXP;
		m->u.futures_def.leg_count = buf[38];
		m->u.futures_def.leg_offset = buf[39];
		m->u.futures_def.variance_block_offset = buf[40];
		m->u.futures_def.legs = NULL;
		fixed = (unsigned int)len;
		if (buf[38] != 0) {
			/* the legs neither overlap the fixed fields nor pass len */
			if (wb_unlikely(buf[39] < WB_PITCH_FUTDEF_LEN ||
					buf[39] + (size_t)buf[38] * WB_PITCH_FUTDEF_LEG_LEN > len))
				return WB_PROTO_MALFORMED;
			m->u.futures_def.legs = buf + buf[39];
			fixed = buf[39];
		}
		m->u.futures_def.has_contract_date = fixed >= WB_PITCH_FUTDEF_DATE_LEN;
		m->u.futures_def.contract_date =
		    fixed >= WB_PITCH_FUTDEF_DATE_LEN ? wb_pitch_le32(buf + 41) : 0;
		if (wb_unlikely(bad))
			return WB_PROTO_MALFORMED;
		break;
	}
	default: /* End of Session, Unit Clear: the time offset only */
		break;
	}
	return (int)len;
}

static inline void
put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void
put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline void
put_alpha(uint8_t *dst, const uint8_t *src, size_t n)
{
	if (src != NULL)
		memcpy(dst, src, n);
	else
		memset(dst, ' ', n);
}

void
wb_pitch_put_hdr(uint8_t *out, uint16_t length, uint8_t count, uint8_t unit, uint32_t seq)
{
	put_le16(out, length);
	out[2] = count;
	out[3] = unit;
	put_le32(out + 4, seq);
}

int
wb_pitch_encode(const struct wb_pitch_msg *m, uint8_t *out, size_t cap)
{
	unsigned int sl = pitch_spec_len[m->type];
	uint8_t t = m->type;

	if (sl == 0)
		return WB_PROTO_UNKNOWN;
	if (t == WB_PITCH_FUTURES_DEF) {
		sl = m->u.futures_def.has_contract_date ? WB_PITCH_FUTDEF_DATE_LEN
							: WB_PITCH_FUTDEF_LEN;
		sl += (unsigned int)m->u.futures_def.leg_count * WB_PITCH_FUTDEF_LEG_LEN;
		if (sl > WB_PITCH_MAX_MSG_LEN)
			return WB_PROTO_MALFORMED;
	}
	if (cap < sl)
		return WB_PROTO_TRUNCATED;
	out[0] = (uint8_t)sl;
	out[1] = t;
	put_le32(out + 2, m->time_offset);
	switch (t) {
	case WB_PITCH_TIME:
		put_le32(out + 2, m->u.time.seconds);
		break;
	case WB_PITCH_ADD_SHORT:
		put_le64(out + 6, m->u.add.order_id);
		out[14] = m->u.add.side;
		put_le16(out + 15, (uint16_t)m->u.add.quantity);
		put_alpha(out + 17, m->u.add.symbol, WB_PITCH_SYMBOL_LEN);
		put_le16(out + 23, (uint16_t)m->u.add.price);
		out[25] = m->u.add.flags;
		break;
	case WB_PITCH_ADD_LONG:
	case WB_PITCH_ADD_EXPANDED: {
		size_t sy = t == WB_PITCH_ADD_LONG ? WB_PITCH_SYMBOL_LEN : WB_PITCH_SYMBOL_LONG_LEN;

		put_le64(out + 6, m->u.add.order_id);
		out[14] = m->u.add.side;
		put_le32(out + 15, m->u.add.quantity);
		put_alpha(out + 19, m->u.add.symbol, sy);
		put_le64(out + 19 + sy, (uint64_t)m->u.add.price);
		out[27 + sy] = m->u.add.flags;
		if (t == WB_PITCH_ADD_EXPANDED)
			put_alpha(out + 36, m->u.add.participant_id, 4);
		break;
	}
	case WB_PITCH_ORDER_EXECUTED:
		put_le64(out + 6, m->u.executed.order_id);
		put_le32(out + 14, m->u.executed.executed_quantity);
		put_le64(out + 18, m->u.executed.execution_id);
		break;
	case WB_PITCH_EXECUTED_AT_PRICE:
		put_le64(out + 6, m->u.executed_price.order_id);
		put_le32(out + 14, m->u.executed_price.executed_quantity);
		put_le32(out + 18, m->u.executed_price.remaining_quantity);
		put_le64(out + 22, m->u.executed_price.execution_id);
		put_le64(out + 30, (uint64_t)m->u.executed_price.price);
		break;
	case WB_PITCH_REDUCE_LONG:
		put_le64(out + 6, m->u.reduce.order_id);
		put_le32(out + 14, m->u.reduce.canceled_quantity);
		break;
	case WB_PITCH_REDUCE_SHORT:
		put_le64(out + 6, m->u.reduce.order_id);
		put_le16(out + 14, (uint16_t)m->u.reduce.canceled_quantity);
		break;
	case WB_PITCH_MODIFY_LONG:
		put_le64(out + 6, m->u.modify.order_id);
		put_le32(out + 14, m->u.modify.quantity);
		put_le64(out + 18, (uint64_t)m->u.modify.price);
		out[26] = m->u.modify.flags;
		break;
	case WB_PITCH_MODIFY_SHORT:
		put_le64(out + 6, m->u.modify.order_id);
		put_le16(out + 14, (uint16_t)m->u.modify.quantity);
		put_le16(out + 16, (uint16_t)m->u.modify.price);
		out[18] = m->u.modify.flags;
		break;
	case WB_PITCH_DELETE:
		put_le64(out + 6, m->u.del.order_id);
		break;
	case WB_PITCH_TRADE_SHORT:
		put_le64(out + 6, m->u.trade.order_id);
		out[14] = m->u.trade.side;
		put_le16(out + 15, (uint16_t)m->u.trade.quantity);
		put_alpha(out + 17, m->u.trade.symbol, WB_PITCH_SYMBOL_LEN);
		put_le16(out + 23, (uint16_t)m->u.trade.price);
		put_le64(out + 25, m->u.trade.execution_id);
		break;
	case WB_PITCH_TRADE_LONG:
	case WB_PITCH_TRADE_EXPANDED: {
		size_t sy =
		    t == WB_PITCH_TRADE_LONG ? WB_PITCH_SYMBOL_LEN : WB_PITCH_SYMBOL_LONG_LEN;

		put_le64(out + 6, m->u.trade.order_id);
		out[14] = m->u.trade.side;
		put_le32(out + 15, m->u.trade.quantity);
		put_alpha(out + 19, m->u.trade.symbol, sy);
		put_le64(out + 19 + sy, (uint64_t)m->u.trade.price);
		put_le64(out + 27 + sy, m->u.trade.execution_id);
		break;
	}
	case WB_PITCH_TRADING_STATUS:
		put_alpha(out + 6, m->u.trading_status.symbol, WB_PITCH_SYMBOL_LONG_LEN);
		out[14] = m->u.trading_status.trading_status;
		out[15] = m->u.trading_status.reg_sho_action;
		out[16] = m->u.trading_status.reserved1;
		out[17] = m->u.trading_status.reserved2;
		break;
	case WB_PITCH_SYMBOL_MAPPING: /* over the time offset written above: it has none */
		put_alpha(out + 2, m->u.symbol_mapping.feed_symbol, WB_PITCH_SYMBOL_LEN);
		put_alpha(out + 8, m->u.symbol_mapping.osi_symbol, WB_PITCH_OSI_SYMBOL_LEN);
		out[29] = m->u.symbol_mapping.symbol_condition;
		put_alpha(out + 30, m->u.symbol_mapping.underlying, WB_PITCH_UNDERLYING_LEN);
		break;
	case WB_PITCH_FUTURES_DEF: {
		unsigned int lo = m->u.futures_def.has_contract_date ? WB_PITCH_FUTDEF_DATE_LEN
								     : WB_PITCH_FUTDEF_LEN;

		put_alpha(out + 6, m->u.futures_def.symbol, WB_PITCH_SYMBOL_LEN);
		put_le32(out + 12, m->u.futures_def.unit_timestamp);
		put_alpha(out + 16, m->u.futures_def.report_symbol, WB_PITCH_SYMBOL_LEN);
		out[22] = m->u.futures_def.futures_flags;
		put_le32(out + 23, m->u.futures_def.expiration_date);
		put_le16(out + 27, m->u.futures_def.contract_size);
		out[29] = m->u.futures_def.listing_state;
		put_le64(out + 30, (uint64_t)m->u.futures_def.price_increment);
		out[38] = m->u.futures_def.leg_count;
		out[39] = m->u.futures_def.leg_count != 0 ? (uint8_t)lo : 0;
		out[40] = m->u.futures_def.variance_block_offset;
		if (m->u.futures_def.has_contract_date)
			put_le32(out + 41, m->u.futures_def.contract_date);
		if (m->u.futures_def.leg_count != 0)
			memcpy(out + lo, m->u.futures_def.legs,
			       (size_t)m->u.futures_def.leg_count * WB_PITCH_FUTDEF_LEG_LEN);
		break;
	}
	default: /* End of Session, Unit Clear */
		break;
	}
	return (int)sl;
}

size_t
wb_pitch_alpha(char *dst, const uint8_t *src, size_t n)
{
	while (n > 0 && src[n - 1] == ' ')
		n--;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}
