/**
 * Task queue names, one constant each. Workflows and the suggestion step run on the control queue,
 * which every worker polls; trials run on the queue of the hardware they need.
 */
import type { QueueKind } from '../contracts/space';

export const CONTROL_TASK_QUEUE = 'sweep-control';

export function trialTaskQueue(kind: QueueKind): string {
  return `sweep-${kind}`;
}
