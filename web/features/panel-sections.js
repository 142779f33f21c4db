// @ts-check
// Feature: the sections of the status that every host's page shows, in their order: the work left
// before the audit; what to fix first, the period's timeline, changes and findings; the on-time rate;
// what is overdue by owner; expiring evidence; objectives and KPIs. The pages put the countdown above
// them and their tracker's own parts (sync, import, exports) around them.
import { renderWorkLeftChart } from './work-left-chart.js';
import { renderStatusPanel } from './status-panel.js';
import { renderOnTimeChart } from './on-time-chart.js';
import { renderOverdue } from './overdue-tickets.js';
import { renderExpiringEvidence } from './expiring-evidence.js';
import { renderObjectives } from './objectives.js';
import { renderKpis } from './kpi-panel.js';

/**
 * @param {{ status: import('../core/upkeep-core.js').StatusResult, period: import('../core/upkeep-core.js').Period | undefined,
 *   today: string, host: import('../core/host.js').Host, allItems: () => import('../core/upkeep-core.js').NextAudit | null }} input
 *   `period`: the one the page shows (the next audit's, else the last); `allItems`: the next audit's lists
 *   without the page's limit
 * @returns {(HTMLElement | null)[]}
 */
export function renderPanelSections({ status, period, today, host, allItems }) {
  const next = status.report.next_audit;
  return [
    next ? renderWorkLeftChart({ next, today, day: host.day }) : null,
    renderStatusPanel({ status, period, host, allItems }),
    period ? renderOnTimeChart({ period, day: host.day }) : null,
    renderOverdue({ overdue: status.overdue, host }),
    renderExpiringEvidence({ evidence: status.report.expiring_evidence, host }),
    renderObjectives({ objectives: status.objectives }),
    renderKpis({ kpis: status.kpis, host }),
  ];
}
