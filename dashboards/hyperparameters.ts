import { instantTableQuery, sweepPrometheus } from './datasource';
import { common, dashboard, table, xychart } from './sdk';
import { numberPanels, sweepDashboard } from './sweep-dashboard';
import { paramVariable, sweepVariable } from './variables';

// Two instant table queries give one frame each, their values named "Value #<refId>". Joining them
// on the trial label puts each trial's parameter value and best accuracy in one row: one point.
const paramValue = 'Value #A';
const bestAccuracy = 'Value #B';

// The exporter drops a trial's series 15 minutes (its --retention) after the trial ends.
const retentionNote = 'Only trials whose series the exporter still holds (it drops them 15 minutes after a trial ends).';

function accuracyAgainstParam(): xychart.PanelBuilder {
  return new xychart.PanelBuilder()
    .title('Best validation accuracy against $param')
    .description(`One point per trial: its value of $param (x) and its best validation accuracy (y). ${retentionNote}`)
    .datasource(sweepPrometheus)
    .withTarget(instantTableQuery('A', 'sweep_trial_param{sweep="$sweep",param="$param"}'))
    .withTarget(instantTableQuery('B', 'sweep_trial_best_val_accuracy{sweep="$sweep"}'))
    .withTransformation({ id: 'joinByField', options: { byField: 'trial', mode: 'inner' } })
    .mapping(xychart.SeriesMapping.Manual)
    .series([
      new xychart.XYSeriesConfigBuilder()
        .name({ fixed: 'trials' })
        .x({ matcher: { id: 'byName', options: paramValue } })
        .y({ matcher: { id: 'byName', options: bestAccuracy } }),
    ])
    .show(xychart.XYShowMode.Points)
    .pointSize({ fixed: 8 })
    .overrideByName(paramValue, [{ id: 'custom.axisLabel', value: '$param' }])
    .overrideByName(bestAccuracy, [
      { id: 'custom.axisLabel', value: 'best validation accuracy' },
      { id: 'unit', value: 'percentunit' },
    ])
    .repeat('param')
    .repeatDirection('h')
    .maxPerRow(3)
    .span(8)
    .height(9);
}

function trialsByAccuracy(): table.PanelBuilder {
  return new table.PanelBuilder()
    .title('Trials by best validation accuracy')
    .description(`Each trial's best validation accuracy over its epochs so far, best first. ${retentionNote}`)
    .datasource(sweepPrometheus)
    .withTarget(instantTableQuery('A', 'max by (trial) (sweep_trial_best_val_accuracy{sweep="$sweep"})'))
    .withTransformation({
      id: 'organize',
      options: { excludeByName: { Time: true }, renameByName: { Value: 'best val accuracy' } },
    })
    .overrideByName('best val accuracy', [{ id: 'unit', value: 'percentunit' }])
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('best val accuracy').desc(true)])
    .span(24)
    .height(8);
}

export function hyperparametersDashboard(): dashboard.Dashboard {
  const built = sweepDashboard('sweep-params', 'Hyperparameters', 'How each numeric hyperparameter of a sweep relates to validation accuracy.')
    .withVariable(sweepVariable())
    .withVariable(paramVariable())
    .withPanel(trialsByAccuracy())
    .withRow(new dashboard.RowBuilder('Accuracy against each hyperparameter'))
    .withPanel(accuracyAgainstParam())
    .build();
  return numberPanels(built);
}
