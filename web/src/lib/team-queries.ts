// Server state of the team screens (members, invitations, API keys), one hook per resource over the
// typed client; keys under ['team'] so a write there invalidates only these.
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { client, unwrap } from './api';
import type { ApiKey, Invitation, List, Member } from './types';

export const teamKeys = {
  all: ['team'] as const,
  members: ['team', 'members'] as const,
  invitations: ['team', 'invitations'] as const,
  apiKeys: ['team', 'api-keys'] as const,
};

export const useMembers = (): UseQueryResult<List<Member>> =>
  useQuery({ queryKey: teamKeys.members, queryFn: () => unwrap(client.GET('/api/v1/members')) });

export const useInvitations = (): UseQueryResult<List<Invitation>> =>
  useQuery({ queryKey: teamKeys.invitations, queryFn: () => unwrap(client.GET('/api/v1/invitations')) });

export const useApiKeys = (): UseQueryResult<List<ApiKey>> =>
  useQuery({ queryKey: teamKeys.apiKeys, queryFn: () => unwrap(client.GET('/api/v1/api-keys')) });
