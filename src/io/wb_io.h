/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK data path: EAL, ports, mempools, rx lcores, classification.
 *
 * Lifecycle, all on the main lcore:
 *   wb_io_eal_init()            once per process (rte_eal_init)
 *   wb_io_create()              resolve and configure ports (not started)
 *   wb_io_port_socket()         NUMA node to allocate each feed on
 *   wb_io_add_channel()         (port, queue, group, UDP port, VLAN) -> feed, line
 *   wb_io_add_requester()       a feed's MoldUDP64 request server (wb_io_req.c)
 *   wb_io_start()               start ports, launch one rx loop per rx lcore
 *   ... wb_io_*_stats(), wb_io_igmp_send(), wb_io_control_poll() from the
 *       control loop ...
 *   wb_io_stop()                raise the quit flag, join the rx lcores
 *   wb_io_destroy()             stop and close ports, free mempools
 *   wb_io_eal_cleanup()
 *
 * A port is a DPDK device, or (kernel = 1) the kernel's UDP sockets on an
 * interface, one per channel (src/ksock), read by an rx lcore of its own in
 * the same loop shape (wb_io_rx_kernel.c): the feed, book and publisher are
 * the same, only how packets arrive differs. An lcore polls one kind only.
 *
 * A feed is owned by exactly one rx lcore (invariant 1): every line of a feed
 * must arrive on queues polled by the same lcore, which wb_io_add_channel()
 * checks. Traffic that matches no channel of the lcore that received it is
 * counted and dropped.
 *
 * Counters are written by their lcore only, into a cache-aligned block it
 * flushes with relaxed atomic stores about every millisecond; readers (the
 * control loop, telemetry) load them relaxed. Nothing orders them with each
 * other: they are statistics.
 */
#ifndef WB_IO_H
#define WB_IO_H

#include <stdint.h>

#include "wb_feed.h"
#include "wb_moldudp64.h"

#define WB_IO_MAX_PORTS 8
#define WB_IO_MAX_QUEUES 16   /* rx queues per port */
#define WB_IO_MAX_CHANNELS 64 /* all ports */
#define WB_IO_MAX_FEEDS_PER_LCORE 64
#define WB_IO_MAX_RXQ_PER_LCORE 16
#define WB_IO_MAX_LCORES 128
#define WB_IO_BURST 32
#define WB_IO_ANY_VLAN 0xFFFEu /* channel matches any VLAN or none */

/* How an rx lcore waits for packets ([portN] poll_mode). */
enum wb_io_poll_mode {
	WB_IO_POLL_BUSY = 0,	 /* spin on the queue: the lowest latency, a whole core */
	WB_IO_POLL_ADAPTIVE = 1, /* DPDK ports: back off when idle (pause, monitor, sleep) */
	WB_IO_POLL_BLOCKING = 2, /* kernel ports: sleep in poll() until a datagram arrives */
};

/*
 * The receive timestamp a port's PMD writes into each mbuf (the
 * rte_mbuf_dyn_rx_timestamp dynamic field, flagged per mbuf), and which clock
 * it is on. rx_tsc (every event, every stage) is the daemon's TSC when the rx
 * burst returned; the hardware stamp is the frame's own time:
 *   NIC     a NIC's clock (RTE_ETH_RX_OFFLOAD_TIMESTAMP), in the device's
 *           units; compared with the TSC through rte_eth_read_clock() samples
 *           (wb_io_hwclock_sync) for the nic -> rx burst stage
 *   PCAP    net_pcap: the pcap record's time, microseconds since the epoch
 *           (DPDK 22.11 fills the field on every frame, without offering the
 *           offload in dev_info)
 *   REPLAY  wirebookd --replay: the record's time in the input, nanoseconds
 *           (pcap: since the epoch; BinaryFILE: the ITCH time of day)
 */
enum wb_io_hwts_mode {
	WB_IO_HWTS_AUTO = 0, /* use it where the PMD offers one */
	WB_IO_HWTS_ON = 1,   /* start-up fails when the PMD offers none */
	WB_IO_HWTS_OFF = 2,  /* neither requested nor read */
};
enum wb_io_hwts_clock {
	WB_IO_HWCLK_NONE = 0,
	WB_IO_HWCLK_NIC = 1,
	WB_IO_HWCLK_PCAP = 2,
	WB_IO_HWCLK_REPLAY = 3,
};
extern const char *const wb_io_hwclk_name[4];

struct wb_io_port_conf {
	char device[128]; /* ethdev name ("net_pcap0") or PCI address; "kernel:IFACE" */
	uint16_t rx_queues;
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint32_t mbufs; /* per rx queue */
	uint16_t mbuf_cache;
	uint16_t mbuf_size; /* data room */
	uint32_t linktype;  /* pcap LINKTYPE of the frames (1: Ethernet) */
	int promisc;
	int igmp;			      /* 0: none, 2 or 3: IGMP version of the reports */
	uint32_t ip;			      /* source address of the IGMP reports, host order */
	uint32_t capture_ring; /* 0: no capture; else slots (power of two) per rx queue */
	unsigned int lcore[WB_IO_MAX_QUEUES]; /* rx lcore of each queue */
	int kernel;			      /* 1: UDP sockets on iface, not a DPDK device */
	char iface[32];			      /* kernel ports: the interface groups are joined on */
	int poll_mode;			      /* enum wb_io_poll_mode */
	int hw_timestamp;		      /* enum wb_io_hwts_mode */
	int replay; /* the replay port: its reader stamps each frame with its file time */
};

struct wb_io_params {
	unsigned int nports;
	struct wb_io_port_conf port[WB_IO_MAX_PORTS];
	unsigned int flush_us; /* counter flush period of the rx loops */
	int latency;	       /* 1: per-burst stage histograms on every rx lcore */
};

/*
 * Stages of a receive burst, timed with the TSC by its rx lcore when
 * wb_io_params.latency is set (wb_io_latency()):
 *   QUEUED      rx burst returned -> every datagram classified, sequenced and
 *               queued on its feed
 *   COMMITTED   -> the queued messages decoded, applied to the books and
 *               their events committed to the ring (visible to clients)
 *   SNAPSHOTS   -> the snapshots of the instruments the burst changed written
 *               (DPDK ports: and the burst's mbufs freed, up to the next
 *               loop iteration's TSC read, which ends the burst's timing)
 *   RX_TO_COMMITTED  the first two together: what wirebook adds between the
 *               PMD handing over a burst and its events being visible
 *   NIC_TO_RX   the NIC's receive timestamp of the burst's first frame -> the
 *               burst returned (ports whose stamps are on a NIC clock that
 *               rte_eth_read_clock() reads; nothing recorded otherwise)
 */
enum wb_io_stage {
	WB_IO_STAGE_QUEUED,
	WB_IO_STAGE_COMMITTED,
	WB_IO_STAGE_SNAPSHOTS,
	WB_IO_STAGE_RX_TO_COMMITTED,
	WB_IO_STAGE_NIC_TO_RX,
	WB_IO_NSTAGES
};
extern const char *const wb_io_stage_name[WB_IO_NSTAGES];

struct wb_io_chan_conf {
	unsigned int port; /* index in wb_io_params.port */
	unsigned int queue;
	uint32_t group;	   /* host order; 0 matches any destination */
	uint16_t udp_port; /* 0 matches any */
	uint16_t vlan;	   /* WB_IO_ANY_VLAN, WB_NET_VLAN_NONE (untagged) or an id */
	unsigned int line; /* 0 = A, 1 = B */
};

struct wb_io_port_stats {
	uint64_t ipackets, ibytes, imissed, ierrors, rx_nombuf;
	uint64_t opackets, oerrors;
};

/* A port's receive timestamps (wb_io_port_hwts). */
struct wb_io_port_hwts {
	int clock;	  /* enum wb_io_hwts_clock; NONE: off or not offered */
	uint64_t stamped; /* frames that carried the stamp */
	uint64_t last;	  /* the latest stamp, in the clock's own units (raw) */
	uint64_t last_ns; /* the same in ns (NIC: 0 until the clock is calibrated) */
};

struct wb_io_lcore_stats {
	uint64_t loops;	      /* rx loop iterations */
	uint64_t busy_loops;  /* iterations that received packets */
	uint64_t busy_cycles; /* TSC cycles in iterations that received packets */
	uint64_t idle_cycles;
	uint64_t packets;    /* frames received */
	uint64_t datagrams;  /* handed to a feed */
	uint64_t unmatched;  /* UDP matching no channel */
	uint64_t not_udp;    /* not IPv4/UDP (ARP, IGMP, IPv6, ...) */
	uint64_t bad_frames; /* truncated, malformed, fragments, multi-segment */
	uint64_t bursts;
	uint64_t to_control; /* ARP frames handed to the main lcore (also in not_udp) */
	/* of bad_frames, the two an operator can act on */
	uint64_t fragments; /* IPv4 fragments (MoldUDP64 never fragments: a bad MTU?) */
	uint64_t oversize;  /* larger than the port's mbuf_size (multi-segment) */
	uint64_t capture_queued;  /* frames handed to the capture writer */
	uint64_t capture_dropped; /* frames its full ring could not take (not captured) */
};

struct wb_io;

/* rte_eal_init(); 0, or -errno with wb_err_msg() set. */
int wb_io_eal_init(int argc, char **argv);
void wb_io_eal_cleanup(void);

/* Probes and configures ports, creates mempools. NULL with wb_err_msg() set. */
struct wb_io *wb_io_create(const struct wb_io_params *p);
/* NUMA node of a configured port (SOCKET_ID_ANY -> 0). */
int wb_io_port_socket(const struct wb_io *io, unsigned int port);
uint16_t wb_io_port_id(const struct wb_io *io, unsigned int port);
/* Returns the channel index, or -errno with wb_err_msg() set. */
int wb_io_add_channel(struct wb_io *io, const struct wb_io_chan_conf *c, struct wb_feed *feed);
/* Starts the ports and launches the rx lcores. 0 or -errno with wb_err_msg(). */
int wb_io_start(struct wb_io *io);
/* Raises the quit flag and waits for every rx lcore. Idempotent. */
void wb_io_stop(struct wb_io *io);
void wb_io_destroy(struct wb_io *io);

unsigned int wb_io_nports(const struct wb_io *io);
int wb_io_port_stats(const struct wb_io *io, unsigned int port, struct wb_io_port_stats *out);
const char *wb_io_port_name(const struct wb_io *io, unsigned int port);
/* Rx lcores in launch order; fills the lcore id. 0 or -ENOENT. */
unsigned int wb_io_nlcores(const struct wb_io *io);
int wb_io_lcore_stats(const struct wb_io *io, unsigned int i, unsigned int *lcore_id,
		      struct wb_io_lcore_stats *out);
/* Datagrams received for a channel (both are counted by its owning lcore). */
uint64_t wb_io_channel_packets(const struct wb_io *io, unsigned int chan);
/* Index (in launch order) of the rx lcore that owns a channel, or -1. */
int wb_io_channel_lcore(const struct wb_io *io, unsigned int chan);
/*
 * Merges every rx lcore's histogram of one stage (TSC ticks) into out (which
 * the caller initialised). -ENOENT when the histograms are off.
 */
struct wb_histo;
int wb_io_latency(const struct wb_io *io, unsigned int stage, struct wb_histo *out);
/* Asks every rx lcore to empty its histograms (done within a flush period). */
void wb_io_latency_reset(struct wb_io *io);

/* A port's receive timestamps: its clock, frames stamped, the latest stamp. */
int wb_io_port_hwts(const struct wb_io *io, unsigned int port, struct wb_io_port_hwts *out);
/*
 * Main lcore, about once a second: samples rte_eth_read_clock() of every
 * port with a NIC clock against the TSC, so the rx lcores can place the
 * NIC's stamps on the TSC (the nic -> rx stage). Nothing to do otherwise.
 */
void wb_io_hwclock_sync(struct wb_io *io);

/* Sum of every rx lcore's received frames (the flushed counters). */
uint64_t wb_io_rx_packets(const struct wb_io *io);

/*
 * Sends one IGMP membership report (or leave) per configured group on every
 * port with igmp != 0. Main lcore only (it owns tx queue 0). Returns the
 * number of reports sent.
 */
unsigned int wb_io_igmp_send(struct wb_io *io, int leave);

/*
 * A feed's MoldUDP64 request server (wb_io_req.c). The feed's on_request
 * (wb_io_request, on its rx lcore) only queues the request on a
 * single-producer ring; the main lcore (wb_io_control_poll) builds the
 * Ethernet/IPv4/UDP frame from the port's ip and MAC to the server and
 * sends it on the port's tx queue, which it owns. The server's MAC is
 * learnt by ARP (who-has from the main lcore; the rx lcores hand ARP frames
 * to it instead of dropping them), refreshed, and asked again when no reply
 * comes; or given (has_mac). The main lcore also answers who-has for the
 * port's ip: without a kernel owning the address nobody else would, and
 * the server could not send its replies. Replies (unicast to the port's ip
 * and src_port) are a channel of the feed on line WB_FEED_LINE_RECOVERY.
 */
struct wb_io_req_conf {
	unsigned int port;  /* requests leave from, and replies arrive at, this port */
	unsigned int queue; /* rx queue the replies are matched on (the feed's) */
	uint32_t server_ip; /* host order */
	uint16_t server_port;
	uint16_t src_port; /* requests' source port, replies' destination */
	uint8_t server_mac[6];
	int has_mac; /* server_mac is given: no ARP */
};

enum wb_io_arp_state {
	WB_IO_ARP_STATIC = 0,	/* request_mac given */
	WB_IO_ARP_RESOLVING = 1, /* who-has sent, no reply yet */
	WB_IO_ARP_OK = 2,	/* MAC learnt */
};

struct wb_io_req_stats {
	uint64_t queued;       /* requests the rx lcore queued */
	uint64_t queue_full;   /* refused by the rx lcore: the queue was full (-ENOBUFS) */
	uint64_t sent;	       /* request frames handed to the NIC */
	uint64_t tx_failed;    /* not sent: no mbuf, or the tx queue full */
	uint64_t no_mac;       /* dropped: the server's MAC unknown too long */
	uint64_t arp_sent;     /* who-has sent for the server */
	uint64_t arp_learnt;   /* replies from the server's address */
	uint64_t arp_answered; /* who-has for the port's ip answered */
	uint64_t replies;      /* reply datagrams received (the recovery channel) */
	int arp_state;	       /* enum wb_io_arp_state */
	uint8_t mac[6];	       /* the server's MAC when known */
};

/*
 * Before wb_io_start(): registers a feed's request server and adds the
 * recovery channel (port's ip, src_port) of the feed. Returns the requester
 * index or -errno with wb_err_msg() set.
 */
int wb_io_add_requester(struct wb_io *io, const struct wb_io_req_conf *c, struct wb_feed *feed);
/* ctx of wb_io_request() for a requester. */
void *wb_io_requester(struct wb_io *io, unsigned int idx);
unsigned int wb_io_nrequesters(const struct wb_io *io);
/*
 * The feed sink's on_request: queues [seq, seq + count) of session for the
 * main lcore. No syscall, no lock, no allocation. 0, or -ENOBUFS when the
 * queue is full (counted).
 */
int wb_io_request(void *ctx, const uint8_t session[WB_MOLD_SESSION_LEN], uint64_t seq,
		  uint16_t count);
/*
 * Main lcore: ARP frames from the rx lcores, ARP timers, queued requests.
 * now_ns is CLOCK_MONOTONIC. Returns the frames sent.
 */
unsigned int wb_io_control_poll(struct wb_io *io, uint64_t now_ns);
int wb_io_req_stats(const struct wb_io *io, unsigned int idx, struct wb_io_req_stats *out);

/*
 * Capture (ports with capture_ring != 0): the rx lcore hands each received
 * frame of such a port, with its receive TSC, to a single-producer ring of
 * mbuf references (the frame itself is not copied; the mbuf is freed when
 * the writer is done with it). A full ring drops the reference, counted in
 * capture_dropped: the rx lcore never waits. One consumer thread drains
 * every ring with wb_io_capture_poll(): fn gets each frame, then it is
 * freed. Returns the number of frames handed over. file_ns is the frame's
 * recorded time in ns when its port's stamps are one (PCAP, REPLAY clocks),
 * else 0: a capture of a replayed file keeps the file's times.
 */
typedef void (*wb_io_capture_fn)(void *ctx, unsigned int port, const uint8_t *frame, uint32_t len,
				 uint64_t rx_tsc, uint64_t file_ns);
unsigned int wb_io_capture_poll(struct wb_io *io, wb_io_capture_fn fn, void *ctx,
				unsigned int max);
/* Whether any port captures. */
int wb_io_capturing(const struct wb_io *io);

#endif /* WB_IO_H */
