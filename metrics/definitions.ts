/**
 * Every metric the exporter serves; docs/metrics.md documents each one (a test holds them equal).
 */
import type { MetricDefinition } from './series-store';

const gauge = (name: string, help: string): MetricDefinition => ({ name, type: 'gauge', help });
const counter = (name: string, help: string): MetricDefinition => ({ name, type: 'counter', help });

export const METRICS = [
  gauge('sweep_trial_loss', 'Mean training loss since the previous step event.'),
  gauge('sweep_trial_learning_rate', 'One-cycle learning rate of the last step event.'),
  gauge('sweep_trial_momentum', 'One-cycle AdamW beta1 of the last step event.'),
  gauge('sweep_trial_images_per_second', 'Training throughput since the previous step event.'),
  gauge('sweep_trial_step', 'Optimizer steps done.'),
  gauge('sweep_trial_epochs_done', 'Epochs finished, validation included.'),
  gauge('sweep_trial_train_loss', 'The last finished epoch\'s mean training loss.'),
  gauge('sweep_trial_val_loss', 'The last finished epoch\'s validation loss.'),
  gauge('sweep_trial_val_accuracy', 'The last finished epoch\'s validation accuracy.'),
  gauge('sweep_trial_best_val_accuracy', 'Best validation accuracy over the trial\'s epochs so far.'),
  gauge('sweep_trial_epoch_val_accuracy', 'Validation accuracy after each epoch (label epoch, 0-based).'),
  gauge('sweep_trial_param', 'A numeric or boolean hyperparameter of the trial (label param).'),
  gauge('sweep_trial_running', '1 while the trial runs, 0 after.'),
  gauge('sweep_trial_ended', '1 once the trial has ended, with labels state and rule (what pruned it, empty otherwise).'),
  gauge('sweep_trial_layer_mean', 'Mean of the layer\'s activations on the last stats step.'),
  gauge('sweep_trial_layer_std', 'Standard deviation of the layer\'s activations on the last stats step.'),
  gauge('sweep_trial_layer_dead_ratio', 'Share of |activation| in the lowest histogram bin [0, 0.25).'),
  gauge('sweep_trial_layer_activation_count', 'Count of |activation| in one histogram bin (label bin = upper edge; not cumulative).'),
  gauge('sweep_trials', 'Trials of the sweep in each state (label state).'),
  gauge('sweep_trials_budget', 'The sweep\'s trial budget.'),
  gauge('sweep_best_val_accuracy', 'Best validation accuracy of a completed trial of the sweep.'),
  counter('sweep_trials_pruned_total', 'Trials pruned, by rule.'),
  counter('sweep_trainer_seconds_total', 'Wall seconds trainers ran for the sweep, every attempt included.'),
  counter('sweep_pruning_saved_trainer_seconds_total', 'Trainer seconds that pruning saved (estimated from each pruned trial\'s seconds per epoch).'),
  gauge('sweep_worker_slots', 'Trial slots the worker offers.'),
  gauge('sweep_worker_busy_slots', 'Slots running a trial.'),
  gauge('sweep_worker_last_seen_timestamp_seconds', 'When the worker last announced itself (Unix seconds).'),
  gauge('sweep_worker_quarantined', '1 when the worker took itself out of its trial queue after failing trials in a row.'),
  counter('sweep_exporter_events_total', 'Sweep events read from JetStream, by event.'),
  counter('sweep_exporter_rejected_messages_total', 'Messages that failed their schema and were skipped.'),
] as const satisfies readonly MetricDefinition[];

export type MetricName = (typeof METRICS)[number]['name'];

/** The trainer's |activation| histogram: 40 equal bins over [0, 10] (docs/trainer-protocol.md). */
export const HISTOGRAM_BIN_EDGES = Array.from({ length: 40 }, (_, i) => String((i + 1) * 0.25));
