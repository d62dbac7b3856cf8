import 'reflect-metadata';
import { runAlone } from '@odoo-stream/runtime';
import { captureApp } from './capture.app';

void runAlone(captureApp);
