// Server state of the dev mailbox screen: the mail kept instead of sent while no SMTP server is configured,
// newest first, a page at a time.
import { useInfiniteQuery } from '@tanstack/react-query';
import { client, unwrap } from './api';

export const mailboxKeys = { all: ['dev-mailbox'] as const };

export const PAGE_SIZE = 50;

export const useDevMailbox = () =>
  useInfiniteQuery({
    queryKey: mailboxKeys.all,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        client.GET('/api/v1/dev/mailbox', {
          params: { query: { limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor,
  });
