/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reader slots in the client file. A slot belongs to the process whose pid
 * it holds; a process that died without releasing it (SIGKILL) is detected
 * with kill(pid, 0) == ESRCH and its slot is taken over by compare-exchange,
 * so two registering clients can never both win it.
 */
#include "wb_shm.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "wb_tsc.h"

int
wb_shm_client_claim(struct wb_shm *shm)
{
	uint32_t i, cur, me = (uint32_t)getpid();

	if (shm->clients == NULL)
		return -ENOENT;
	for (i = 0; i < WB_SHM_MAX_CLIENTS; i++) {
		struct wb_shm_client *c = &shm->clients[i];

		cur = atomic_load_explicit(&c->pid, memory_order_relaxed);
		/* a slot whose owner died (SIGKILL leaves it claimed) is reclaimed */
		if (cur != 0 && (kill((pid_t)cur, 0) == 0 || errno != ESRCH))
			continue;
		if (atomic_compare_exchange_strong_explicit(&c->pid, &cur, me, memory_order_acq_rel,
							    memory_order_relaxed)) {
			atomic_store_explicit(&c->cursor, 0, memory_order_relaxed);
			atomic_store_explicit(&c->lapped, 0, memory_order_relaxed);
			atomic_store_explicit(&c->missed, 0, memory_order_relaxed);
			atomic_store_explicit(&c->delivered, 0, memory_order_relaxed);
			atomic_store_explicit(&c->attach_ns, wb_mono_ns(), memory_order_relaxed);
			return (int)i;
		}
	}
	return -ENOSPC;
}

void
wb_shm_client_release(struct wb_shm *shm, int slot)
{
	uint32_t me = (uint32_t)getpid();

	if (shm->clients == NULL || slot < 0 || slot >= (int)WB_SHM_MAX_CLIENTS)
		return;
	atomic_compare_exchange_strong_explicit(&shm->clients[slot].pid, &me, 0,
						memory_order_release, memory_order_relaxed);
}
