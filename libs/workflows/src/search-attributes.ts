import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes, so the real Temporal UI and CLI can filter assignments
 * (e.g. `temporal workflow list --query "DhUnit='HU-CANG-LONG' AND DhStatus='done-late'"`; for statuses the
 * clock decides, libs/domain `statusVisibilityQuery` adds the DhDeadline condition).
 * The dev-server script and docker-compose register exactly these names.
 */
export const SA_PLAN = defineSearchAttributeKey('DhPlan', SearchAttributeType.KEYWORD);
export const SA_UNIT = defineSearchAttributeKey('DhUnit', SearchAttributeType.KEYWORD);
export const SA_KIND = defineSearchAttributeKey('DhKind', SearchAttributeType.KEYWORD);
export const SA_STATUS = defineSearchAttributeKey('DhStatus', SearchAttributeType.KEYWORD);
export const SA_DEADLINE = defineSearchAttributeKey('DhDeadline', SearchAttributeType.DATETIME);
export const SA_ESCALATION_LEVEL = defineSearchAttributeKey('DhEscalationLevel', SearchAttributeType.INT);

/** Name -> CLI type, as `temporal server start-dev --search-attribute NAME=TYPE` expects. */
export const SEARCH_ATTRIBUTES_FOR_CLI: Record<string, 'Keyword' | 'Datetime' | 'Int'> = {
  DhPlan: 'Keyword',
  DhUnit: 'Keyword',
  DhKind: 'Keyword',
  DhStatus: 'Keyword',
  DhDeadline: 'Datetime',
  DhEscalationLevel: 'Int',
};
