import type { Command } from 'commander';
import { seedDemoCommand } from '../modules/directory/directory.cli';
import { createUserCommand, resetPasswordCommand } from '../modules/identity/identity.cli';

/** Commands contributed by modules; each adds itself to the program. */
export type CliCommand = (program: Command, configFile: () => string | undefined) => void;

export const COMMANDS: CliCommand[] = [createUserCommand, resetPasswordCommand, seedDemoCommand];
