import 'reflect-metadata';
import { runAlone } from '@odoo-stream/runtime';
import { projectorApp } from './projector.app';

void runAlone(projectorApp);
