// The workflow bundle's entry point: everything the Temporal worker registers as a workflow.
export { sweepWorkflow } from './sweep-workflow';
export { promoteWorkflow } from './promote-workflow';
