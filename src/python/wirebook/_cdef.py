# SPDX-License-Identifier: BSD-3-Clause
"""The C declarations the package uses, in one place.

cffi's ABI mode lays these structs out itself, from this text, without
seeing the C headers: a change of include/wirebook/event.h, wirebook.h or
replay.h that is not copied here would make every field read garbage.
tests/python/test_layout.py compiles a C program that prints every size and
offset declared here, as the C compiler lays them out from the real
headers, and fails on the first difference.

EVENT_ABI is the shared-memory ABI version (WB_SHM_ABI_VERSION) whose
struct wb_event this text describes; recordings name the one they hold.
"""

EVENT_ABI = 3

CDEF = r"""
/* include/wirebook/event.h */
enum wb_event_type {
	WB_EV_NONE = 0,
	WB_EV_ADD = 1,
	WB_EV_EXECUTE = 2,
	WB_EV_CANCEL = 3,
	WB_EV_DELETE = 4,
	WB_EV_REPLACE = 5,
	WB_EV_TRADE = 6,
	WB_EV_TRADING_STATE = 7,
	WB_EV_BBO = 8,
	WB_EV_GAP = 9,
	WB_EV_DIRECTORY = 10,
	WB_EV_TYPES
};

enum wb_venue {
	WB_VENUE_NONE = 0,
	WB_VENUE_NASDAQ = 1,
	WB_VENUE_CBOE_BZX = 2,
	WB_VENUE_CBOE_BYX = 3,
	WB_VENUE_CBOE_EDGX = 4,
	WB_VENUE_CBOE_EDGA = 5,
	WB_VENUE_OTHER = 255,
};

#define WB_EV_SYMBOL_LEN 8

struct wb_event {
	uint32_t ring_tag;
	uint32_t instrument;
	uint64_t seq;
	uint64_t exch_ts;
	uint64_t rx_tsc;
	uint8_t type;
	uint8_t side;
	uint8_t venue;
	uint8_t flags;
	uint32_t qty;
	union {
		struct {
			uint64_t ref;
			uint64_t aux;
			int64_t price;
		} order;
		struct {
			int64_t bid_px, ask_px;
			uint32_t bid_qty, ask_qty;
		} bbo;
		struct {
			uint64_t match;
			uint64_t reserved;
			int64_t price;
		} trade;
		struct {
			uint8_t state;
			uint8_t reason[4];
		} trading;
		struct {
			uint64_t from_seq;
			uint64_t count;
			uint64_t resume_pos;
		} gap;
		struct {
			char symbol[8];
			int8_t price_exp;
			uint8_t pad[15];
		} directory;
		uint8_t raw[24];
	} u;
};

/* include/wirebook/wirebook.h */
#define WB_CLIENT_MAX_DEPTH 64
#define WB_CLIENT_SYMBOL_LEN 9
#define WB_CLIENT_LONG_NAME_LEN 22
#define WB_CLIENT_EV_LAPPED 128

enum wb_client_state {
	WB_CLIENT_STARTING = 1,
	WB_CLIENT_LIVE = 2,
	WB_CLIENT_STOPPED = 3,
};

struct wb_client;

struct wb_client_opts {
	uint32_t size;
	int no_register;
	const char *dir;
	uint64_t alive_timeout_ns;
};

struct wb_client_level {
	int64_t price;
	uint32_t orders;
	uint64_t shares;
};

struct wb_client_book {
	uint32_t size;
	uint32_t instrument;
	char symbol[9];
	uint8_t trading_state;
	uint8_t stale;
	uint8_t venue;
	int8_t price_exp;
	uint32_t nbid;
	uint32_t nask;
	uint64_t last_seq;
	uint64_t exch_ts;
	uint64_t rx_tsc;
	int64_t last_trade_px;
	uint64_t last_trade_qty;
	uint64_t last_trade_match;
	uint64_t updates;
	struct wb_client_level bid[64];
	struct wb_client_level ask[64];
};

struct wb_client_status {
	uint32_t size;
	int alive;
	int state;
	uint32_t pid;
	uint64_t epoch_ns;
	uint64_t heartbeat_age_ns;
	uint64_t tail;
	uint64_t cursor;
	uint64_t lag;
	uint64_t lapped;
	uint64_t missed;
	uint64_t delivered;
	uint64_t reattached;
	uint64_t bursts;
	uint64_t snapshots;
	uint32_t ring_slots;
	uint32_t depth;
	uint32_t channels;
	int feed_stale;
	uint32_t stale_instruments;
};

struct wb_client_channel {
	uint32_t size;
	uint32_t id;
	int stale;
	uint64_t datagrams;
	uint64_t bytes;
	uint64_t messages;
	uint64_t bad_packets;
	uint64_t bad_messages;
	uint64_t gaps;
	uint64_t gap_msgs;
	uint64_t dup_packets;
	uint64_t events;
	uint64_t bursts;
	uint64_t bbo_changes;
};

struct wb_client_reader {
	uint32_t size;
	uint32_t pid;
	uint64_t cursor;
	uint64_t lag;
	uint64_t lapped;
	uint64_t delivered;
};

struct wb_client_instrument {
	uint32_t size;
	uint32_t id;
	char symbol[9];
	uint8_t venue;
	int8_t price_exp;
	uint8_t trading_state;
	uint8_t stale;
	char long_name[22];
};

typedef void (*wb_client_event_fn)(void *ctx, const struct wb_event *ev);

const char *wb_client_version(void);
const char *wb_client_last_error(void);
struct wb_client *wb_client_open(const char *name, const struct wb_client_opts *opts);
struct wb_client *wb_client_wait_open(const char *name, const struct wb_client_opts *opts,
				      uint64_t timeout_ns);
void wb_client_close(struct wb_client *c);
int wb_client_subscribe(struct wb_client *c, const char *symbol);
int wb_client_poll(struct wb_client *c, wb_client_event_fn fn, void *ctx, unsigned int max);
int wb_client_poll_batch(struct wb_client *c, struct wb_event *out, unsigned int max);
int wb_client_book(struct wb_client *c, uint32_t instrument, struct wb_client_book *out);
int wb_client_lookup(struct wb_client *c, const char *symbol);
int wb_client_instrument(struct wb_client *c, uint32_t id, struct wb_client_instrument *out);
uint32_t wb_client_max_instruments(const struct wb_client *c);
int wb_client_status(struct wb_client *c, struct wb_client_status *st);
int wb_client_channels(struct wb_client *c, struct wb_client_channel *out, unsigned int n);
int wb_client_readers(struct wb_client *c, struct wb_client_reader *out, unsigned int n);
double wb_client_ns_per_tick(const struct wb_client *c);
uint64_t wb_client_tsc_ns(const struct wb_client *c, uint64_t tsc);
int64_t wb_client_since_ns(const struct wb_client *c, uint64_t tsc);

/* include/wirebook/replay.h */
struct wb_replay_opts {
	const char *protocol;
	const char *channels;
	uint32_t max_orders;
	uint32_t max_levels;
	uint32_t burst;
};

struct wb_replay_stats {
	uint64_t records;
	uint64_t datagrams;
	uint64_t filtered;
	uint64_t not_udp;
	uint64_t bad_frames;
	uint64_t messages;
	uint64_t bad_packets;
	uint64_t bad_messages;
	uint64_t gaps;
	uint64_t gap_msgs;
	uint64_t bbo_changes;
	uint64_t events;
	uint64_t live_orders;
	uint32_t stale;
	uint32_t done;
};

struct wb_replay;

void wb_replay_opts_default(struct wb_replay_opts *opts);
struct wb_replay *wb_replay_open(const char *path, const struct wb_replay_opts *opts);
long wb_replay_read(struct wb_replay *r, struct wb_event *out, unsigned long max);
uint32_t wb_replay_max_instruments(const struct wb_replay *r);
uint32_t wb_replay_instruments(const struct wb_replay *r, uint32_t *out, uint32_t n);
int wb_replay_book(const struct wb_replay *r, uint32_t instrument, struct wb_client_book *out);
void wb_replay_stats(const struct wb_replay *r, struct wb_replay_stats *out);
const char *wb_replay_errmsg(void);
void wb_replay_close(struct wb_replay *r);
"""

# Every struct declared above, for the layout test and the numpy dtypes.
STRUCTS = (
    "wb_event",
    "wb_client_opts",
    "wb_client_level",
    "wb_client_book",
    "wb_client_status",
    "wb_client_channel",
    "wb_client_reader",
    "wb_client_instrument",
    "wb_replay_opts",
    "wb_replay_stats",
)

# The headers that declare them (for the layout test's C program).
HEADERS = ("wirebook/event.h", "wirebook/wirebook.h", "wirebook/replay.h")
