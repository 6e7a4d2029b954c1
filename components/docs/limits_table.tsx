/**
 * The API reference page's tables of what a running server allows (its
 * configured limits) and what it counts (its metrics).
 *
 * @example
 * ```tsx
 * <LimitsTable limits={limitsOf(config)} />
 * ```
 *
 * @module
 */
import { METRICS } from "../../lib/reference/endpoints.ts";
import type { LimitDoc } from "../../lib/reference/limits.ts";
import { Code, Prose, Section, Table } from "./prose.tsx";

/** This server's limits, with the variables that set them. */
export function LimitsTable({ limits }: { limits: LimitDoc[] }) {
  return (
    <Section
      id="limits"
      title="Limits"
      intro="The values this server runs with. Those with a variable are set from the environment at start-up."
    >
      <Table
        items={limits}
        rowKey={(limit) => limit.key}
        columns={[
          { title: "Limit", cell: (limit) => <span class="whitespace-nowrap font-medium">{limit.name}</span> },
          {
            title: "Value",
            cell: (limit) => (
              <span class="whitespace-nowrap font-mono" data-limit={limit.key}>
                {limit.value.toLocaleString("en-US")} {limit.unit}
              </span>
            ),
          },
          {
            title: "Variable",
            cell: (limit) =>
              limit.env ? <Code>{limit.env}</Code> : <span class="text-slate-400 dark:text-slate-500">fixed</span>,
          },
          { title: "Meaning", cell: (limit) => <Prose text={limit.meaning} /> },
        ]}
      />
    </Section>
  );
}

/** The metrics of `GET /metrics`. */
export function MetricsTable() {
  return (
    <Section
      id="metrics"
      title="Metrics"
      intro="`GET /metrics` serves these per instance, in Prometheus' text format; counters start at zero when the instance starts."
    >
      <Table
        items={METRICS}
        rowKey={(metric) => metric.name}
        columns={[
          { title: "Metric", cell: (metric) => <span class="font-mono">{metric.name}</span> },
          { title: "Type", cell: (metric) => metric.type },
          { title: "Meaning", cell: (metric) => metric.help },
        ]}
      />
    </Section>
  );
}
