// Server state on TanStack Query: one hook per resource over the typed openapi-fetch client, and the
// query keys in one place so a write invalidates exactly what it changed. Keys are hierarchical
// (['automations', id, 'runs', query]): invalidating ['automations', id] refreshes everything under it.
import { QueryClient, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { ApiError, client, unwrap } from './api';
import type {
  Automation,
  DailyRuns,
  Inbox,
  InboxRequestPage,
  LabelledVariable,
  List,
  Me,
  RunDetails,
  RunPage,
  Survey,
  SurveySummary,
  Template,
} from './types';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A screen shows what it has at once and refreshes it when it opens again.
      staleTime: 5_000,
      // Signed out, not found, bad input: asking again will not help.
      retry: (failures, error) =>
        failures < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      refetchOnWindowFocus: false,
    },
  },
});

export const keys = {
  me: ['me'] as const,
  surveys: ['surveys', 'list'] as const,
  survey: (id: string) => ['surveys', id] as const,
  dataLabels: (id: string) => ['surveys', id, 'data-labels'] as const,
  templates: ['templates'] as const,
  automations: ['automations'] as const,
  automationList: ['automations', 'list'] as const,
  automation: (id: string) => ['automations', id] as const,
  daily: (id: string, query: string) => ['automations', id, 'daily', query] as const,
  runs: (id: string) => ['automations', id, 'runs'] as const,
  runPage: (id: string, query: string) => ['automations', id, 'runs', query] as const,
  notifications: (id: string) => ['automations', id, 'notifications'] as const,
  run: (id: string) => ['runs', id] as const,
  inboxes: ['inboxes'] as const,
  inboxRequests: (id: string) => ['inboxes', id, 'requests'] as const,
};

const byId = (id: string) => ({ params: { path: { id } } });
/** A query string built elsewhere (the runs filter model), sent as is. */
const rawQuery = (query: string) => ({ querySerializer: () => query });

export const useMe = (enabled = true): UseQueryResult<Me> =>
  useQuery({ queryKey: keys.me, queryFn: () => unwrap(client.GET('/api/v1/me')), enabled });

export const useSurveys = (): UseQueryResult<List<SurveySummary>> =>
  useQuery({
    queryKey: keys.surveys,
    queryFn: () => unwrap(client.GET('/api/v1/surveys', { params: { query: { limit: 100 } } })),
  });

export const useSurvey = (id: string | null): UseQueryResult<Survey> =>
  useQuery({
    queryKey: keys.survey(id ?? ''),
    queryFn: () => unwrap(client.GET('/api/v1/surveys/{id}', byId(id!))),
    enabled: id !== null,
  });

export const useDataLabels = (surveyId: string): UseQueryResult<List<LabelledVariable>> =>
  useQuery({
    queryKey: keys.dataLabels(surveyId),
    queryFn: () => unwrap(client.GET('/api/v1/surveys/{id}/data-labels', byId(surveyId))),
  });

export const useTemplates = (): UseQueryResult<List<Template>> =>
  useQuery({
    queryKey: keys.templates,
    queryFn: () => unwrap(client.GET('/api/v1/templates', { params: { query: { limit: 100 } } })),
  });

export const useAutomations = (): UseQueryResult<List<Automation>> =>
  useQuery({ queryKey: keys.automationList, queryFn: () => unwrap(client.GET('/api/v1/automations')) });

export const useAutomation = (id: string): UseQueryResult<Automation> =>
  useQuery({
    queryKey: keys.automation(id),
    queryFn: () => unwrap(client.GET('/api/v1/automations/{id}', byId(id))),
  });

export const useDailyRuns = (id: string, query: string): UseQueryResult<DailyRuns> =>
  useQuery({
    queryKey: keys.daily(id, query),
    queryFn: () =>
      unwrap(client.GET('/api/v1/automations/{id}/runs/daily', { ...byId(id), ...rawQuery(query) })),
  });

export const useRunPage = (id: string, query: string, enabled = true): UseQueryResult<RunPage> =>
  useQuery({
    enabled,
    queryKey: keys.runPage(id, query),
    queryFn: () => unwrap(client.GET('/api/v1/automations/{id}/runs', { ...byId(id), ...rawQuery(query) })),
    // Paging and filtering keep the previous page on screen until the next one arrives.
    placeholderData: (previous) => previous,
  });

export const useRun = (id: string | null): UseQueryResult<RunDetails> =>
  useQuery({
    queryKey: keys.run(id ?? ''),
    queryFn: () => unwrap(client.GET('/api/v1/runs/{id}', byId(id!))),
    enabled: id !== null,
  });

export const useInboxes = (): UseQueryResult<List<Inbox>> =>
  useQuery({ queryKey: keys.inboxes, queryFn: () => unwrap(client.GET('/api/v1/inboxes')) });

export const useInboxRequests = (
  inboxId: string,
  refetchInterval: number,
): UseQueryResult<InboxRequestPage> =>
  useQuery({
    queryKey: keys.inboxRequests(inboxId),
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/inboxes/{id}/requests', {
          params: { path: { id: inboxId }, query: { limit: 50 } },
        }),
      ),
    refetchInterval,
  });

export const useNotificationSettings = (automationId: string) =>
  useQuery({
    queryKey: keys.notifications(automationId),
    queryFn: () => unwrap(client.GET('/api/v1/automations/{id}/notifications', byId(automationId))),
  });
