import { instantQuery, instantTableQuery, rangeQuery, sweepPrometheus } from './datasource';
import { imagesPerSecond, lastValue, legendByLastValue } from './panel-options';
import { bargauge, common, dashboard, stat, table, timeseries } from './sdk';
import { numberPanels, sweepDashboard } from './sweep-dashboard';
import { sweepVariable } from './variables';

function progress(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title('Progress')
    .description("Trials that have ended (any state but running) against the sweep's trial budget.")
    .datasource(sweepPrometheus)
    .withTarget(instantQuery('A', 'sum(sweep_trials{sweep="$sweep",state!="running"})', 'done'))
    .withTarget(instantQuery('B', 'sweep_trials_budget{sweep="$sweep"}', 'budget'))
    .reduceOptions(lastValue())
    .textMode(common.BigValueTextMode.ValueAndName)
    .graphMode(common.BigValueGraphMode.None)
    .decimals(0)
    .span(6)
    .height(5);
}

function bestAccuracy(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title('Best validation accuracy')
    .description('Best validation accuracy so far: of a completed trial, and of any trial, running ones included.')
    .datasource(sweepPrometheus)
    .withTarget(rangeQuery('A', 'sweep_best_val_accuracy{sweep="$sweep"}', 'completed trials'))
    .withTarget(rangeQuery('B', 'max(sweep_trial_best_val_accuracy{sweep="$sweep"})', 'any trial'))
    .reduceOptions(lastValue())
    .textMode(common.BigValueTextMode.ValueAndName)
    .graphMode(common.BigValueGraphMode.Area)
    .unit('percentunit')
    .decimals(2)
    .span(6)
    .height(5);
}

function pruningSavings(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title('Trainer time saved by pruning')
    .description(
      'Trainer seconds that pruned trials did not run (their mean epoch time times the epochs they skipped), beside the seconds trainers did run.',
    )
    .datasource(sweepPrometheus)
    .withTarget(instantQuery('A', 'sum(sweep_pruning_saved_trainer_seconds_total{sweep="$sweep"})', 'saved'))
    .withTarget(instantQuery('B', 'sum(sweep_trainer_seconds_total{sweep="$sweep"})', 'spent'))
    .reduceOptions(lastValue())
    .textMode(common.BigValueTextMode.ValueAndName)
    .graphMode(common.BigValueGraphMode.None)
    .unit('s')
    .span(6)
    .height(5);
}

/** Latest value per series as horizontal bars: counts by state, by pruning rule, seconds by node. */
function bars(title: string, description: string, expr: string, legend: string): bargauge.PanelBuilder {
  return new bargauge.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(sweepPrometheus)
    .withTarget(instantQuery('A', expr, legend))
    .reduceOptions(lastValue())
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .min(0);
}

function trialsByState(): bargauge.PanelBuilder {
  return bars(
    'Trials by state',
    'Trials of the sweep in each state; a retried trial counts once.',
    'sum by (state) (sweep_trials{sweep="$sweep"})',
    '{{state}}',
  )
    .decimals(0)
    .span(6)
    .height(5);
}

function prunedByRule(): bargauge.PanelBuilder {
  return bars(
    'Pruned trials by rule',
    'Trials pruned, by the rule that stopped them (alert: a Prometheus alert asked for it).',
    'sum by (rule) (sweep_trials_pruned_total{sweep="$sweep"})',
    '{{rule}}',
  )
    .decimals(0)
    .span(8)
    .height(8);
}

function trainerSecondsByNode(): bargauge.PanelBuilder {
  return bars(
    'Trainer time by node',
    "Wall seconds trainers ran for the sweep on each worker node, every attempt and the trainers' start-up included.",
    'sum by (node) (sweep_trainer_seconds_total{sweep="$sweep"})',
    '{{node}}',
  )
    .unit('s')
    .span(8)
    .height(8);
}

function endedTrials(): table.PanelBuilder {
  return new table.PanelBuilder()
    .title('Ended trials')
    .description('Every ended trial with its state and, for a pruned one, the rule that stopped it (the reason in words is in `sweep status`).')
    .datasource(sweepPrometheus)
    .withTarget(instantTableQuery('A', 'max by (trial, state, rule) (sweep_trial_ended{sweep="$sweep"})'))
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true, Value: true } } })
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('trial')])
    .span(8)
    .height(8);
}

function workerUtilisation(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Worker utilisation')
    .description('Share of each worker node\'s trial slots that are running a trial (all sweeps: workers are shared).')
    .datasource(sweepPrometheus)
    .withTarget(rangeQuery('A', 'sum by (node) (sweep_worker_busy_slots) / sum by (node) (sweep_worker_slots)', '{{node}}'))
    .unit('percentunit')
    .min(0)
    .max(1)
    .span(8)
    .height(8);
}

function bestPerTrial(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Best validation accuracy per trial')
    .description("Each trial's best validation accuracy over its epochs so far.")
    .datasource(sweepPrometheus)
    .withTarget(rangeQuery('A', 'max by (trial) (sweep_trial_best_val_accuracy{sweep="$sweep"})', 'trial {{trial}}'))
    .unit('percentunit')
    .legend(legendByLastValue())
    .span(12)
    .height(9);
}

function throughputPerTrial(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title('Training throughput per trial')
    .description('Training images per second of each trial, between consecutive step events.')
    .datasource(sweepPrometheus)
    .withTarget(rangeQuery('A', 'max by (trial) (sweep_trial_images_per_second{sweep="$sweep"})', 'trial {{trial}}'))
    .unit(imagesPerSecond)
    .min(0)
    .legend(legendByLastValue())
    .span(12)
    .height(9);
}

export function sweepOverviewDashboard(): dashboard.Dashboard {
  const built = sweepDashboard('sweep-overview', 'Sweep overview', 'One sweep: progress, best accuracy, pruning and the workers.')
    .withVariable(sweepVariable())
    .withPanel(progress())
    .withPanel(bestAccuracy())
    .withPanel(pruningSavings())
    .withPanel(trialsByState())
    .withPanel(bestPerTrial())
    .withPanel(throughputPerTrial())
    .withPanel(prunedByRule())
    .withPanel(endedTrials())
    .withPanel(trainerSecondsByNode())
    .withPanel(workerUtilisation())
    .build();
  return numberPanels(built);
}
