/**
 * A worker's trial slots: which are busy, and what each one's trainer gets. On a GPU node every
 * slot is pinned to one GPU (CUDA_VISIBLE_DEVICES), round-robin, so `gpus x slots-per-GPU` slots
 * spread evenly and a trainer sees exactly its GPU as `cuda`; on a CPU node each slot gets its
 * share of the cores as torch threads.
 */

export interface Slot {
  id: number;
  /** The trainer's `device` field. */
  device: string;
  threads: number;
  /** Added to the trainer's environment. */
  env: Record<string, string>;
  /** The GPU this slot runs on (its id as the worker sees it), or null on a CPU node. */
  gpu: string | null;
}

export interface SlotPool {
  /** The lowest free slot; the activity runs at most `slots` trials, so one is always free. */
  acquire(): Slot;
  release(slot: Slot): void;
  readonly busy: number;
  readonly size: number;
}

export interface SlotPlan {
  slots: number;
  threads: number;
  /** GPU ids to pin slots to (the worker's CUDA_VISIBLE_DEVICES order); empty on a CPU node. */
  gpus: readonly string[];
}

export function slotFor(plan: SlotPlan, id: number): Slot {
  if (plan.gpus.length === 0) return { id, device: 'cpu', threads: plan.threads, env: {}, gpu: null };
  const gpu = plan.gpus[id % plan.gpus.length]!;
  return { id, device: 'cuda', threads: plan.threads, env: { CUDA_VISIBLE_DEVICES: gpu }, gpu };
}

export function createSlotPool(plan: SlotPlan): SlotPool {
  const busy = new Set<number>();
  return {
    acquire() {
      let id = 0;
      while (busy.has(id)) id += 1;
      busy.add(id);
      return slotFor(plan, id);
    },
    release(slot) {
      busy.delete(slot.id);
    },
    get busy() {
      return busy.size;
    },
    size: plan.slots,
  };
}

/** The GPU ids a worker may use: its own CUDA_VISIBLE_DEVICES list when set, else 0..count-1. */
export function visibleGpus(count: number, env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = env.CUDA_VISIBLE_DEVICES?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (listed && listed.length > 0) return listed.slice(0, count);
  return Array.from({ length: count }, (_, i) => String(i));
}
