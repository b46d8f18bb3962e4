import { common } from './sdk';

/** Stats and bar gauges show each series' latest value, one value per series. */
export function lastValue(): common.ReduceDataOptionsBuilder {
  return new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);
}

/** A legend table on the right with each series' latest value, highest first. */
export function legendByLastValue(): common.VizLegendOptionsBuilder {
  return new common.VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(common.LegendDisplayMode.Table)
    .placement(common.LegendPlacement.Right)
    .calcs(['lastNotNull'])
    .sortBy('Last *')
    .sortDesc(true);
}

// Grafana has no images-per-second unit; "suffix:" units print the number with this text after it.
export const imagesPerSecond = 'suffix: img/s';
