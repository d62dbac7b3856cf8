import 'reflect-metadata';
import { runAlone } from '@odoo-stream/runtime';
import { dispatcherApp } from './dispatcher.app';

void runAlone(dispatcherApp);
