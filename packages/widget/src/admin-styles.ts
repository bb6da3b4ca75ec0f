import { css } from 'lit';

/** The admin views' figure tables: ruled rows, numbers right-aligned in tabular figures. */
export const adminTableStyles = css`
  table {
    border-collapse: collapse;
    font-size: 0.9em;
  }
  th,
  td {
    border-bottom: 1px solid var(--_border);
    padding: 3px 8px;
    text-align: left;
  }
  td.number {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
`;
