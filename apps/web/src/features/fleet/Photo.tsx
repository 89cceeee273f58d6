import { Center, Image, Text } from '@mantine/core';
import { IconCar } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { authFetch } from '../../app/auth';
import { t } from '../../app/i18n';

/** A photo's bytes as a `data:` URL: the app's CSP admits `data:` images, not `blob:` ones. */
function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * A fleet photo. Photos are served only to signed-in users (bearer token), so an `<img src>` cannot
 * load them directly: the bytes are fetched and shown inline.
 */
export function FleetPhoto({ id, alt, h = 120 }: { id: string | undefined; alt: string; h?: number }) {
  const photo = useQuery({
    queryKey: ['fleet', 'photo', id],
    enabled: Boolean(id),
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async ({ signal }) => {
      const res = await authFetch(`/api/v1/fleet/photos/${id}`, { signal });
      if (!res.ok) throw new Error(`photo ${res.status}`);
      return dataUrl(await res.blob());
    },
  });
  const url = photo.data;
  if (!url)
    return (
      <Center h={h} bg="var(--mantine-color-default-hover)" style={{ borderRadius: 8 }}>
        {id ? (
          <Text size="xs">{t('fleet.loadingPhoto')}</Text>
        ) : (
          <IconCar size={40} aria-label={t('fleet.noPhoto')} />
        )}
      </Center>
    );
  return <Image src={url} alt={alt} h={h} fit="cover" radius="sm" />;
}
