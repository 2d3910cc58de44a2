// Server state of a survey's responses and an automation's payload contract, one hook per resource.
// Keys sit under the survey's and the automation's own keys, so invalidating those refreshes these too.
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { client, unwrap } from './api';
import { keys } from './queries';
import type { List, MessageSchema, SurveyResponse } from './types';

export const responseKeys = {
  responses: (surveyId: string) => [...keys.survey(surveyId), 'responses'] as const,
  schema: (automationId: string) => [...keys.automation(automationId), 'schema'] as const,
};

/** The newest 100 responses of a survey. */
export const useResponses = (surveyId: string): UseQueryResult<List<SurveyResponse>> =>
  useQuery({
    queryKey: responseKeys.responses(surveyId),
    queryFn: () =>
      unwrap(
        client.GET('/api/v1/surveys/{id}/responses', {
          params: { path: { id: surveyId }, query: { limit: 100 } },
        }),
      ),
  });

/** `version` (the automation's updatedAt): saved settings ask for the contract again. */
export const useMessageSchema = (automationId: string, version: string): UseQueryResult<MessageSchema> =>
  useQuery({
    queryKey: [...responseKeys.schema(automationId), version],
    queryFn: () =>
      unwrap(client.GET('/api/v1/automations/{id}/schema', { params: { path: { id: automationId } } })),
  });
