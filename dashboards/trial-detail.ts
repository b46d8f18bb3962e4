import { instantQuery, rangeQuery, sweepPrometheus } from './datasource';
import { imagesPerSecond, lastValue } from './panel-options';
import { bargauge, common, dashboard, heatmap, timeseries } from './sdk';
import { numberPanels, sweepDashboard } from './sweep-dashboard';
import { layerVariable, sweepVariable, trialVariable } from './variables';

/** A time series panel of one trial; queries name their sweep and trial themselves. */
function trialPanel(title: string, description: string): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder().title(title).description(description).datasource(sweepPrometheus);
}

function loss(): timeseries.PanelBuilder {
  return trialPanel('Training loss', 'Mean training loss between consecutive step events.')
    .withTarget(rangeQuery('A', 'sweep_trial_loss{sweep="$sweep",trial="$trial"}', 'training loss'))
    .span(12)
    .height(8);
}

// Epoch metrics change once per epoch: steps show where each epoch ended instead of a slope.
function epochLosses(): timeseries.PanelBuilder {
  return trialPanel('Loss per epoch', "The last finished epoch's mean training loss and validation loss.")
    .withTarget(rangeQuery('A', 'sweep_trial_train_loss{sweep="$sweep",trial="$trial"}', 'train'))
    .withTarget(rangeQuery('B', 'sweep_trial_val_loss{sweep="$sweep",trial="$trial"}', 'validation'))
    .lineInterpolation(common.LineInterpolation.StepAfter)
    .span(12)
    .height(8);
}

function validationAccuracy(): timeseries.PanelBuilder {
  return trialPanel('Validation accuracy', "The last finished epoch's validation accuracy and the best over the trial's epochs.")
    .withTarget(rangeQuery('A', 'sweep_trial_val_accuracy{sweep="$sweep",trial="$trial"}', 'last epoch'))
    .withTarget(rangeQuery('B', 'sweep_trial_best_val_accuracy{sweep="$sweep",trial="$trial"}', 'best so far'))
    .lineInterpolation(common.LineInterpolation.StepAfter)
    .unit('percentunit')
    .span(8)
    .height(8);
}

function accuracyByEpoch(): bargauge.PanelBuilder {
  return new bargauge.PanelBuilder()
    .title('Validation accuracy by epoch')
    .description('Validation accuracy after each finished epoch (epochs count from 0).')
    .datasource(sweepPrometheus)
    .withTarget(instantQuery('A', 'sweep_trial_epoch_val_accuracy{sweep="$sweep",trial="$trial"}', 'epoch {{epoch}}'))
    .reduceOptions(lastValue())
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .unit('percentunit')
    .min(0)
    .max(1)
    .span(8)
    .height(8);
}

// Momentum (AdamW beta1, 0.85..0.95) and the learning rate (often 1e-3) differ by orders of
// magnitude, so momentum gets its own axis on the right.
function schedule(): timeseries.PanelBuilder {
  return trialPanel('Learning rate and momentum', 'The one-cycle schedule: learning rate (left axis) and AdamW beta1 (right axis) per step.')
    .withTarget(rangeQuery('A', 'sweep_trial_learning_rate{sweep="$sweep",trial="$trial"}', 'learning rate'))
    .withTarget(rangeQuery('B', 'sweep_trial_momentum{sweep="$sweep",trial="$trial"}', 'momentum'))
    .overrideByQuery('B', [{ id: 'custom.axisPlacement', value: common.AxisPlacement.Right }])
    .span(8)
    .height(8);
}

function throughput(): timeseries.PanelBuilder {
  return trialPanel('Training throughput', 'Training images per second between consecutive step events.')
    .withTarget(rangeQuery('A', 'sweep_trial_images_per_second{sweep="$sweep",trial="$trial"}', 'images/s'))
    .unit(imagesPerSecond)
    .min(0)
    .span(6)
    .height(8);
}

/** One series per selected layer of a per-layer activation statistic. */
function layerPanel(title: string, description: string, metric: string): timeseries.PanelBuilder {
  return trialPanel(title, description)
    .withTarget(rangeQuery('A', `${metric}{sweep="$sweep",trial="$trial",layer=~"$layer"}`, '{{layer}}'))
    .span(6)
    .height(8);
}

// The red line is the threshold of the SweepTrialDeadActivations alert
// (deploy/prometheus/rules/sweep-alerts.yml), which prunes the trial after a minute above it.
function deadRatio(): timeseries.PanelBuilder {
  return layerPanel(
    'Dead activations per layer',
    'Share of activations with |activation| < 0.25; above 0.9 for a minute, an alert prunes the trial.',
    'sweep_trial_layer_dead_ratio',
  )
    .unit('percentunit')
    .min(0)
    .max(1)
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: 'green' },
        { value: 0.9, color: 'red' },
      ]),
    )
    .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line));
}

// The fast.ai "colorful dimension": one column per stats step, one row per |activation| bin, colour
// = ln(1 + count). The exporter already buckets the data, so Grafana must not calculate a histogram;
// each series is one row, named by its bin's upper edge (hence layout "le"). The query's ln makes the
// colours logarithmic in counts, so the colour scale itself stays linear.
function activationHistogram(): heatmap.PanelBuilder {
  return new heatmap.PanelBuilder()
    .title('Activation histogram of $layer')
    .description('ln(1 + count) of |activation| in each histogram bin over time; a healthy layer spreads over many bins.')
    .datasource(sweepPrometheus)
    .withTarget(
      rangeQuery('A', 'ln(1 + sweep_trial_layer_activation_count{sweep="$sweep",trial="$trial",layer="$layer"})', '{{bin}}'),
    )
    .calculate(false)
    .rowsFrame(new heatmap.RowsHeatmapOptionsBuilder().layout(common.HeatmapCellLayout.Le).value('ln(1 + count)'))
    .yAxis(new heatmap.YAxisConfigBuilder().axisLabel('|activation| bin (upper edge)'))
    .color(
      new heatmap.HeatmapColorOptionsBuilder()
        .mode(heatmap.HeatmapColorMode.Scheme)
        .scheme('Viridis')
        .scale(heatmap.HeatmapColorScale.Linear)
        .steps(64),
    )
    .cellGap(0)
    .repeat('layer')
    .repeatDirection('h')
    .maxPerRow(3)
    .span(8)
    .height(8);
}

export function trialDetailDashboard(): dashboard.Dashboard {
  const built = sweepDashboard('sweep-trial', 'Trial detail', 'One trial: losses, accuracy, schedule, throughput and its layers\' activations.')
    .withVariable(sweepVariable())
    .withVariable(trialVariable())
    .withVariable(layerVariable())
    .withPanel(loss())
    .withPanel(epochLosses())
    .withPanel(validationAccuracy())
    .withPanel(accuracyByEpoch())
    .withPanel(schedule())
    .withPanel(throughput())
    .withPanel(layerPanel('Activation mean per layer', 'Mean of each layer\'s activations on the last stats step.', 'sweep_trial_layer_mean'))
    .withPanel(layerPanel('Activation std per layer', 'Standard deviation of each layer\'s activations on the last stats step.', 'sweep_trial_layer_std'))
    .withPanel(deadRatio())
    .withRow(new dashboard.RowBuilder('Activation histograms (colorful dimension)'))
    .withPanel(activationHistogram())
    .build();
  return numberPanels(built);
}
