import type { Command } from '../command';
import { evaluateCommand } from './evaluate';
import { phCommand } from './ph';
import { distanceCommand } from './distance';
import { activationsCommand } from './activations';
import { mapperCommand } from './mapper';
import { ckaCommand } from './cka';
import { reproduceCommand } from './reproduce';

/**
 * The registry of sub-commands. Each issue adds its command file here
 * (ph, distance, cka, mapper, activations, evaluate, reproduce).
 */
export const commands: Command[] = [evaluateCommand, phCommand, distanceCommand, activationsCommand, mapperCommand, ckaCommand, reproduceCommand];
