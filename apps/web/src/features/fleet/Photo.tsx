import { Center, Image, Text } from '@mantine/core';
import { IconCar } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { authFetch } from '../../app/auth';

/**
 * A fleet photo. Photos are served only to signed-in users (bearer token), so an `<img src>` cannot
 * load them directly: the bytes are fetched and shown from an object URL.
 */
export function FleetPhoto({ id, alt, h = 120 }: { id: string | undefined; alt: string; h?: number }) {
  const blob = useQuery({
    queryKey: ['fleet', 'photo', id],
    enabled: Boolean(id),
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const res = await authFetch(`/api/v1/fleet/photos/${id}`, { signal });
      if (!res.ok) throw new Error(`photo ${res.status}`);
      return res.blob();
    },
  });
  const url = useMemo(() => (blob.data ? URL.createObjectURL(blob.data) : undefined), [blob.data]);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  if (!url)
    return (
      <Center h={h} bg="var(--mantine-color-default-hover)" style={{ borderRadius: 8 }}>
        {id ? <Text size="xs">Loading photo…</Text> : <IconCar size={40} aria-label="No photo yet" />}
      </Center>
    );
  return <Image src={url} alt={alt} h={h} fit="cover" radius="sm" />;
}
