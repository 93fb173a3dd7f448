/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Nasdaq TotalView-ITCH 5.0 decode and encode.
 *
 * Why it looks like this: decode runs once per message on the rx lcore
 * (> 20M msgs/s), so it makes one length check against a 256-entry table
 * (which also rejects unknown types) and then only does fixed-offset
 * big-endian loads; after that single check no field read can leave
 * [buf, buf + len). The offsets below are the spec's, byte for byte
 * (type at 0, locate 1, tracking 3, timestamp 5..10, body from 11).
 *
 * encode is the exact inverse, field by field, so that the round trip in the
 * tests pins both directions to the same table of offsets.
 */
#include "wb_itch50.h"

#include <string.h>

#include "wb_compiler.h"

const char wb_itch_types[WB_ITCH_NTYPES + 1] = "SRHYLVWKJhAFECXDUPQBINO";

const uint8_t wb_itch_len_table[256] = {
    ['S'] = 12, ['R'] = 39, ['H'] = 25, ['Y'] = 20, ['L'] = 26, ['V'] = 35, ['W'] = 12, ['K'] = 28,
    ['J'] = 35, ['h'] = 21, ['A'] = 36, ['F'] = 40, ['E'] = 31, ['C'] = 36, ['X'] = 23, ['D'] = 19,
    ['U'] = 35, ['P'] = 44, ['Q'] = 40, ['B'] = 19, ['I'] = 50, ['N'] = 20, ['O'] = 48,
};

const uint8_t wb_itch_type_slot[256] = {
    ['S'] = 1,  ['R'] = 2,  ['H'] = 3,  ['Y'] = 4,  ['L'] = 5,  ['V'] = 6,  ['W'] = 7,  ['K'] = 8,
    ['J'] = 9,  ['h'] = 10, ['A'] = 11, ['F'] = 12, ['E'] = 13, ['C'] = 14, ['X'] = 15, ['D'] = 16,
    ['U'] = 17, ['P'] = 18, ['Q'] = 19, ['B'] = 20, ['I'] = 21, ['N'] = 22, ['O'] = 23,
};

int
wb_itch_type_index(uint8_t type)
{
	const char *p;

	if (type == 0)
		return -1;
	p = strchr(wb_itch_types, type);
	return p != NULL ? (int)(p - wb_itch_types) : -1;
}

static inline int
wb_itch_side_ok(uint8_t side)
{
	return side == 'B' || side == 'S';
}

int
wb_itch_decode(const uint8_t *buf, size_t len, struct wb_itch_msg *m)
{
	unsigned int sl;
	uint8_t type;

	if (wb_unlikely(len == 0))
		return WB_PROTO_TRUNCATED;
	type = buf[0];
	m->type = type;
	sl = wb_itch_len_table[type];
	if (wb_unlikely(sl == 0))
		return WB_PROTO_UNKNOWN;
	if (wb_unlikely(len != sl))
		return len < sl ? WB_PROTO_TRUNCATED : WB_PROTO_MALFORMED;

	/* From here on every message is at least 12 bytes and exactly sl long. */
	m->len = (uint16_t)sl;
	m->raw = buf;
	m->stock_locate = wb_be16(buf + 1);
	m->tracking_number = wb_be16(buf + 3);
	m->timestamp = wb_be48(buf + 5);

	switch (type) {
	case 'A':
	case 'F':
		m->u.add.order_ref = wb_be64(buf + 11);
		m->u.add.side = buf[19];
		m->u.add.shares = wb_be32(buf + 20);
		m->u.add.stock = buf + 24;
		m->u.add.price = wb_be32(buf + 32);
		m->u.add.attribution = type == 'F' ? buf + 36 : NULL;
		if (wb_unlikely(!wb_itch_side_ok(m->u.add.side)))
			return WB_PROTO_MALFORMED;
		break;
	case 'D':
		m->u.del.order_ref = wb_be64(buf + 11);
		break;
	case 'U':
		m->u.replace.orig_order_ref = wb_be64(buf + 11);
		m->u.replace.new_order_ref = wb_be64(buf + 19);
		m->u.replace.shares = wb_be32(buf + 27);
		m->u.replace.price = wb_be32(buf + 31);
		break;
	case 'E':
		m->u.executed.order_ref = wb_be64(buf + 11);
		m->u.executed.executed_shares = wb_be32(buf + 19);
		m->u.executed.match_number = wb_be64(buf + 23);
		break;
	case 'X':
		m->u.cancel.order_ref = wb_be64(buf + 11);
		m->u.cancel.cancelled_shares = wb_be32(buf + 19);
		break;
	case 'C':
		m->u.executed_price.order_ref = wb_be64(buf + 11);
		m->u.executed_price.executed_shares = wb_be32(buf + 19);
		m->u.executed_price.match_number = wb_be64(buf + 23);
		m->u.executed_price.printable = buf[31];
		m->u.executed_price.execution_price = wb_be32(buf + 32);
		break;
	case 'P':
		m->u.trade.order_ref = wb_be64(buf + 11);
		m->u.trade.side = buf[19];
		m->u.trade.shares = wb_be32(buf + 20);
		m->u.trade.stock = buf + 24;
		m->u.trade.price = wb_be32(buf + 32);
		m->u.trade.match_number = wb_be64(buf + 36);
		if (wb_unlikely(!wb_itch_side_ok(m->u.trade.side)))
			return WB_PROTO_MALFORMED;
		break;
	case 'S':
		m->u.system_event.event_code = buf[11];
		break;
	case 'R':
		m->u.stock_directory.stock = buf + 11;
		m->u.stock_directory.market_category = buf[19];
		m->u.stock_directory.financial_status = buf[20];
		m->u.stock_directory.round_lot_size = wb_be32(buf + 21);
		m->u.stock_directory.round_lots_only = buf[25];
		m->u.stock_directory.issue_classification = buf[26];
		m->u.stock_directory.issue_subtype = buf + 27;
		m->u.stock_directory.authenticity = buf[29];
		m->u.stock_directory.short_sale_threshold = buf[30];
		m->u.stock_directory.ipo_flag = buf[31];
		m->u.stock_directory.luld_ref_tier = buf[32];
		m->u.stock_directory.etp_flag = buf[33];
		m->u.stock_directory.etp_leverage = wb_be32(buf + 34);
		m->u.stock_directory.inverse = buf[38];
		break;
	case 'H':
		m->u.trading_action.stock = buf + 11;
		m->u.trading_action.trading_state = buf[19];
		m->u.trading_action.reserved = buf[20];
		m->u.trading_action.reason = buf + 21;
		break;
	case 'Y':
		m->u.reg_sho.stock = buf + 11;
		m->u.reg_sho.reg_sho_action = buf[19];
		break;
	case 'L':
		m->u.mp_position.mpid = buf + 11;
		m->u.mp_position.stock = buf + 15;
		m->u.mp_position.primary_market_maker = buf[23];
		m->u.mp_position.market_maker_mode = buf[24];
		m->u.mp_position.market_participant_state = buf[25];
		break;
	case 'V':
		m->u.mwcb_decline.level1 = wb_be64(buf + 11);
		m->u.mwcb_decline.level2 = wb_be64(buf + 19);
		m->u.mwcb_decline.level3 = wb_be64(buf + 27);
		break;
	case 'W':
		m->u.mwcb_status.breached_level = buf[11];
		break;
	case 'K':
		m->u.ipo_quoting.stock = buf + 11;
		m->u.ipo_quoting.release_time = wb_be32(buf + 19);
		m->u.ipo_quoting.release_qualifier = buf[23];
		m->u.ipo_quoting.ipo_price = wb_be32(buf + 24);
		break;
	case 'J':
		m->u.luld_collar.stock = buf + 11;
		m->u.luld_collar.ref_price = wb_be32(buf + 19);
		m->u.luld_collar.upper_price = wb_be32(buf + 23);
		m->u.luld_collar.lower_price = wb_be32(buf + 27);
		m->u.luld_collar.extension = wb_be32(buf + 31);
		break;
	case 'h':
		m->u.operational_halt.stock = buf + 11;
		m->u.operational_halt.market_code = buf[19];
		m->u.operational_halt.action = buf[20];
		break;
	case 'Q':
		m->u.cross_trade.shares = wb_be64(buf + 11);
		m->u.cross_trade.stock = buf + 19;
		m->u.cross_trade.cross_price = wb_be32(buf + 27);
		m->u.cross_trade.match_number = wb_be64(buf + 31);
		m->u.cross_trade.cross_type = buf[39];
		break;
	case 'B':
		m->u.broken_trade.match_number = wb_be64(buf + 11);
		break;
	case 'I':
		m->u.noii.paired_shares = wb_be64(buf + 11);
		m->u.noii.imbalance_shares = wb_be64(buf + 19);
		m->u.noii.imbalance_direction = buf[27];
		m->u.noii.stock = buf + 28;
		m->u.noii.far_price = wb_be32(buf + 36);
		m->u.noii.near_price = wb_be32(buf + 40);
		m->u.noii.current_ref_price = wb_be32(buf + 44);
		m->u.noii.cross_type = buf[48];
		m->u.noii.price_variation_indicator = buf[49];
		break;
	case 'N':
		m->u.rpii.stock = buf + 11;
		m->u.rpii.interest_flag = buf[19];
		break;
	case 'O':
		m->u.dlcr.stock = buf + 11;
		m->u.dlcr.open_eligibility_status = buf[19];
		m->u.dlcr.min_allowable_price = wb_be32(buf + 20);
		m->u.dlcr.max_allowable_price = wb_be32(buf + 24);
		m->u.dlcr.near_execution_price = wb_be32(buf + 28);
		m->u.dlcr.near_execution_time = wb_be64(buf + 32);
		m->u.dlcr.lower_price_range_collar = wb_be32(buf + 40);
		m->u.dlcr.upper_price_range_collar = wb_be32(buf + 44);
		break;
	default:
		/* Unreachable: the length table only knows the types above. */
		return WB_PROTO_UNKNOWN;
	}
	return (int)sl;
}

/* Copies an alpha field of width n, or spaces for NULL. */
static inline void
wb_itch_put_alpha(uint8_t *dst, const uint8_t *src, size_t n)
{
	if (src != NULL)
		memcpy(dst, src, n);
	else
		memset(dst, ' ', n);
}

int
wb_itch_encode(const struct wb_itch_msg *m, uint8_t *out, size_t cap)
{
	unsigned int sl = wb_itch_len_table[m->type];

	if (sl == 0)
		return WB_PROTO_UNKNOWN;
	if (cap < sl)
		return WB_PROTO_TRUNCATED;
	out[0] = m->type;
	wb_put_be16(out + 1, m->stock_locate);
	wb_put_be16(out + 3, m->tracking_number);
	wb_put_be48(out + 5, m->timestamp);

	switch (m->type) {
	case 'A':
	case 'F':
		wb_put_be64(out + 11, m->u.add.order_ref);
		out[19] = m->u.add.side;
		wb_put_be32(out + 20, m->u.add.shares);
		wb_itch_put_alpha(out + 24, m->u.add.stock, WB_ITCH_STOCK_LEN);
		wb_put_be32(out + 32, m->u.add.price);
		if (m->type == 'F')
			wb_itch_put_alpha(out + 36, m->u.add.attribution, 4);
		break;
	case 'D':
		wb_put_be64(out + 11, m->u.del.order_ref);
		break;
	case 'U':
		wb_put_be64(out + 11, m->u.replace.orig_order_ref);
		wb_put_be64(out + 19, m->u.replace.new_order_ref);
		wb_put_be32(out + 27, m->u.replace.shares);
		wb_put_be32(out + 31, m->u.replace.price);
		break;
	case 'E':
		wb_put_be64(out + 11, m->u.executed.order_ref);
		wb_put_be32(out + 19, m->u.executed.executed_shares);
		wb_put_be64(out + 23, m->u.executed.match_number);
		break;
	case 'X':
		wb_put_be64(out + 11, m->u.cancel.order_ref);
		wb_put_be32(out + 19, m->u.cancel.cancelled_shares);
		break;
	case 'C':
		wb_put_be64(out + 11, m->u.executed_price.order_ref);
		wb_put_be32(out + 19, m->u.executed_price.executed_shares);
		wb_put_be64(out + 23, m->u.executed_price.match_number);
		out[31] = m->u.executed_price.printable;
		wb_put_be32(out + 32, m->u.executed_price.execution_price);
		break;
	case 'P':
		wb_put_be64(out + 11, m->u.trade.order_ref);
		out[19] = m->u.trade.side;
		wb_put_be32(out + 20, m->u.trade.shares);
		wb_itch_put_alpha(out + 24, m->u.trade.stock, WB_ITCH_STOCK_LEN);
		wb_put_be32(out + 32, m->u.trade.price);
		wb_put_be64(out + 36, m->u.trade.match_number);
		break;
	case 'S':
		out[11] = m->u.system_event.event_code;
		break;
	case 'R':
		wb_itch_put_alpha(out + 11, m->u.stock_directory.stock, WB_ITCH_STOCK_LEN);
		out[19] = m->u.stock_directory.market_category;
		out[20] = m->u.stock_directory.financial_status;
		wb_put_be32(out + 21, m->u.stock_directory.round_lot_size);
		out[25] = m->u.stock_directory.round_lots_only;
		out[26] = m->u.stock_directory.issue_classification;
		wb_itch_put_alpha(out + 27, m->u.stock_directory.issue_subtype, 2);
		out[29] = m->u.stock_directory.authenticity;
		out[30] = m->u.stock_directory.short_sale_threshold;
		out[31] = m->u.stock_directory.ipo_flag;
		out[32] = m->u.stock_directory.luld_ref_tier;
		out[33] = m->u.stock_directory.etp_flag;
		wb_put_be32(out + 34, m->u.stock_directory.etp_leverage);
		out[38] = m->u.stock_directory.inverse;
		break;
	case 'H':
		wb_itch_put_alpha(out + 11, m->u.trading_action.stock, WB_ITCH_STOCK_LEN);
		out[19] = m->u.trading_action.trading_state;
		out[20] = m->u.trading_action.reserved;
		wb_itch_put_alpha(out + 21, m->u.trading_action.reason, 4);
		break;
	case 'Y':
		wb_itch_put_alpha(out + 11, m->u.reg_sho.stock, WB_ITCH_STOCK_LEN);
		out[19] = m->u.reg_sho.reg_sho_action;
		break;
	case 'L':
		wb_itch_put_alpha(out + 11, m->u.mp_position.mpid, 4);
		wb_itch_put_alpha(out + 15, m->u.mp_position.stock, WB_ITCH_STOCK_LEN);
		out[23] = m->u.mp_position.primary_market_maker;
		out[24] = m->u.mp_position.market_maker_mode;
		out[25] = m->u.mp_position.market_participant_state;
		break;
	case 'V':
		wb_put_be64(out + 11, m->u.mwcb_decline.level1);
		wb_put_be64(out + 19, m->u.mwcb_decline.level2);
		wb_put_be64(out + 27, m->u.mwcb_decline.level3);
		break;
	case 'W':
		out[11] = m->u.mwcb_status.breached_level;
		break;
	case 'K':
		wb_itch_put_alpha(out + 11, m->u.ipo_quoting.stock, WB_ITCH_STOCK_LEN);
		wb_put_be32(out + 19, m->u.ipo_quoting.release_time);
		out[23] = m->u.ipo_quoting.release_qualifier;
		wb_put_be32(out + 24, m->u.ipo_quoting.ipo_price);
		break;
	case 'J':
		wb_itch_put_alpha(out + 11, m->u.luld_collar.stock, WB_ITCH_STOCK_LEN);
		wb_put_be32(out + 19, m->u.luld_collar.ref_price);
		wb_put_be32(out + 23, m->u.luld_collar.upper_price);
		wb_put_be32(out + 27, m->u.luld_collar.lower_price);
		wb_put_be32(out + 31, m->u.luld_collar.extension);
		break;
	case 'h':
		wb_itch_put_alpha(out + 11, m->u.operational_halt.stock, WB_ITCH_STOCK_LEN);
		out[19] = m->u.operational_halt.market_code;
		out[20] = m->u.operational_halt.action;
		break;
	case 'Q':
		wb_put_be64(out + 11, m->u.cross_trade.shares);
		wb_itch_put_alpha(out + 19, m->u.cross_trade.stock, WB_ITCH_STOCK_LEN);
		wb_put_be32(out + 27, m->u.cross_trade.cross_price);
		wb_put_be64(out + 31, m->u.cross_trade.match_number);
		out[39] = m->u.cross_trade.cross_type;
		break;
	case 'B':
		wb_put_be64(out + 11, m->u.broken_trade.match_number);
		break;
	case 'I':
		wb_put_be64(out + 11, m->u.noii.paired_shares);
		wb_put_be64(out + 19, m->u.noii.imbalance_shares);
		out[27] = m->u.noii.imbalance_direction;
		wb_itch_put_alpha(out + 28, m->u.noii.stock, WB_ITCH_STOCK_LEN);
		wb_put_be32(out + 36, m->u.noii.far_price);
		wb_put_be32(out + 40, m->u.noii.near_price);
		wb_put_be32(out + 44, m->u.noii.current_ref_price);
		out[48] = m->u.noii.cross_type;
		out[49] = m->u.noii.price_variation_indicator;
		break;
	case 'N':
		wb_itch_put_alpha(out + 11, m->u.rpii.stock, WB_ITCH_STOCK_LEN);
		out[19] = m->u.rpii.interest_flag;
		break;
	case 'O':
		wb_itch_put_alpha(out + 11, m->u.dlcr.stock, WB_ITCH_STOCK_LEN);
		out[19] = m->u.dlcr.open_eligibility_status;
		wb_put_be32(out + 20, m->u.dlcr.min_allowable_price);
		wb_put_be32(out + 24, m->u.dlcr.max_allowable_price);
		wb_put_be32(out + 28, m->u.dlcr.near_execution_price);
		wb_put_be64(out + 32, m->u.dlcr.near_execution_time);
		wb_put_be32(out + 40, m->u.dlcr.lower_price_range_collar);
		wb_put_be32(out + 44, m->u.dlcr.upper_price_range_collar);
		break;
	default:
		return WB_PROTO_UNKNOWN;
	}
	return (int)sl;
}

size_t
wb_itch_alpha(char *dst, const uint8_t *src, size_t n)
{
	while (n > 0 && src[n - 1] == ' ')
		n--;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

const uint8_t *
wb_itch_stock(const struct wb_itch_msg *m)
{
	switch (m->type) {
	case 'A':
	case 'F':
		return m->u.add.stock;
	case 'P':
		return m->u.trade.stock;
	case 'R':
		return m->u.stock_directory.stock;
	case 'H':
		return m->u.trading_action.stock;
	case 'Y':
		return m->u.reg_sho.stock;
	case 'L':
		return m->u.mp_position.stock;
	case 'K':
		return m->u.ipo_quoting.stock;
	case 'J':
		return m->u.luld_collar.stock;
	case 'h':
		return m->u.operational_halt.stock;
	case 'Q':
		return m->u.cross_trade.stock;
	case 'I':
		return m->u.noii.stock;
	case 'N':
		return m->u.rpii.stock;
	case 'O':
		return m->u.dlcr.stock;
	default:
		return NULL;
	}
}
