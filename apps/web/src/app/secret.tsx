import { ActionIcon, Alert, Button, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconEyeOff } from '@tabler/icons-react';
import { saveBlob } from './download';
import { t } from './i18n';

/**
 * A secret the server shows only once (a new password, an API token, recovery codes): shown in full,
 * with copy and optional download, and a warning that it will not be shown again.
 */
export function OneTimeSecret({
  label,
  value,
  downloadName,
}: {
  label: string;
  /** One secret, or several (one per line). */
  value: string | string[];
  /** Offers a text file download under this name. */
  downloadName?: string;
}) {
  const text = Array.isArray(value) ? value.join('\n') : value;
  return (
    <Stack gap="xs">
      <Alert color="yellow" icon={<IconEyeOff aria-hidden />} title={t('secret.once')}>
        <Text size="sm">{Array.isArray(value) ? t('secret.copyThem') : t('secret.copyIt')}</Text>
      </Alert>
      <Text size="sm" fw={600} id="one-time-secret-label">
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code
          block
          aria-labelledby="one-time-secret-label"
          data-testid="one-time-secret"
          style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
        >
          {text}
        </Code>
        <CopyButton value={text} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('secret.copied') : t('secret.copy')} withArrow>
              <ActionIcon
                variant="light"
                color={copied ? 'teal' : 'blue'}
                onClick={copy}
                aria-label={
                  copied
                    ? t('secret.copiedOne', { label })
                    : t('secret.copyOne', { label: label.toLowerCase() })
                }
                size="lg"
              >
                {copied ? <IconCheck size={18} aria-hidden /> : <IconCopy size={18} aria-hidden />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      {downloadName && (
        <Group>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconDownload size={16} aria-hidden />}
            onClick={() => saveBlob(new Blob([`${text}\n`], { type: 'text/plain' }), downloadName)}
          >
            {t('secret.download')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
