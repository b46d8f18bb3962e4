import { sweepPrometheus } from './datasource';
import { dashboard } from './sdk';

// New sweeps, trials and layers appear while a dashboard is open, so every list is queried again
// whenever the time range changes, not only when the dashboard loads.
function labelValues(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(sweepPrometheus)
    .query(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged);
}

export function sweepVariable(): dashboard.QueryVariableBuilder {
  return labelValues('sweep', 'Sweep', 'label_values(sweep_trials, sweep)').sort(dashboard.VariableSort.AlphabeticalAsc);
}

export function trialVariable(): dashboard.QueryVariableBuilder {
  return labelValues('trial', 'Trial', 'label_values(sweep_trial_loss{sweep="$sweep"}, trial)').sort(
    dashboard.VariableSort.NumericalAsc,
  );
}

/** Multi-value: queries must match it with `=~`; a panel repeated by it gets one value per copy. */
export function layerVariable(): dashboard.QueryVariableBuilder {
  return labelValues('layer', 'Layer', 'label_values(sweep_trial_layer_mean{sweep="$sweep",trial="$trial"}, layer)')
    .sort(dashboard.VariableSort.NaturalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.+')
    .current({ text: ['All'], value: ['$__all'] });
}

/** Multi-value, all selected by default: the hyperparameter panel is repeated once per value. */
export function paramVariable(): dashboard.QueryVariableBuilder {
  return labelValues('param', 'Hyperparameter', 'label_values(sweep_trial_param{sweep="$sweep"}, param)')
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .current({ text: ['All'], value: ['$__all'] });
}
