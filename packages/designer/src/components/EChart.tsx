import { useEffect, useRef } from 'react';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the dashboard draws, so the chunk stays small (ECharts' tree-shaken core).
echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** An Apache ECharts chart; `onPick` gets the index of a clicked category (the drill-down). */
export function EChart({
  option,
  onPick,
  label,
  height = 260,
}: {
  option: object;
  onPick?: (index: number) => void;
  label: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>(undefined);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    const c = echarts.init(box.current!);
    chart.current = c;
    c.on('click', (e) => pick.current?.(e.dataIndex));
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(box.current!);
    return () => {
      resize.disconnect();
      c.dispose();
    };
  }, []);
  useEffect(() => chart.current?.setOption(option as echarts.EChartsCoreOption, true), [option]);

  return <div ref={box} className="chart" role="img" aria-label={label} style={{ height }} />;
}
