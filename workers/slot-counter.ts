/** How many of a worker's trial slots are busy, for its announcements. */
export interface SlotCounter {
  acquire(): void;
  release(): void;
  readonly busy: number;
}

export function createSlotCounter(): SlotCounter {
  let busy = 0;
  return {
    acquire: () => void (busy += 1),
    release: () => void (busy = Math.max(0, busy - 1)),
    get busy() {
      return busy;
    },
  };
}
