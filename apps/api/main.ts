import 'reflect-metadata';
import { runAlone } from '@odoo-stream/runtime';
import { apiApp } from './api.app';

void runAlone(apiApp);
