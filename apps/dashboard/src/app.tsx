import { useEffect, useState } from 'preact/hooks';
import { api, whenSignedOut } from './api/client';
import { Page, parseRoute, Route, routeHref } from './logic/route';
import { Login } from './pages/login';
import { Overview } from './pages/overview';
import { Events } from './pages/events';
import { EventDetail } from './pages/event-detail';
import { Timeline } from './pages/timeline';
import { Subscribers } from './pages/subscribers';
import { SubscriberDetail } from './pages/subscriber-detail';
import { Deliveries } from './pages/deliveries';
import { DeliveryDetail } from './pages/delivery-detail';
import { Consumers } from './pages/consumers';
import { Devices } from './pages/devices';
import { Telegram } from './pages/telegram';

const NAV: Array<[Page, string]> = [
  ['overview', 'Overview'],
  ['events', 'Events'],
  ['subscribers', 'Subscribers'],
  ['deliveries', 'Deliveries'],
  ['consumers', 'Consumers & replay'],
  ['devices', 'Devices'],
  ['telegram', 'Telegram'],
];

/** Which nav entry a page belongs to. */
const SECTION: Partial<Record<Page, Page>> = {
  event: 'events',
  timeline: 'events',
  subscriber: 'subscribers',
  delivery: 'deliveries',
};

function useRoute(): Route {
  const [route, setRoute] = useState(parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function PageOf({ route }: { route: Route }) {
  const p = route.params;
  switch (route.page) {
    case 'events':
      return <Events params={p} />;
    case 'event':
      return <EventDetail id={p.id ?? ''} />;
    case 'timeline':
      return <Timeline model={p.model ?? ''} id={p.id ?? ''} />;
    case 'subscribers':
      return <Subscribers />;
    case 'subscriber':
      return <SubscriberDetail id={p.id} />;
    case 'deliveries':
      return <Deliveries params={p} />;
    case 'delivery':
      return <DeliveryDetail id={p.id ?? ''} />;
    case 'consumers':
      return <Consumers params={p} />;
    case 'devices':
      return <Devices params={p} />;
    case 'telegram':
      return <Telegram params={p} />;
    default:
      return <Overview />;
  }
}

export function App() {
  const [session, setSession] = useState<{ signedIn: boolean; keyName?: string }>();
  const route = useRoute();

  useEffect(() => {
    whenSignedOut(() => setSession({ signedIn: false }));
    api<{ signed_in: boolean; key_name?: string }>('GET', '/api/session')
      .then((s) => setSession({ signedIn: s.signed_in, keyName: s.key_name }))
      .catch(() => setSession({ signedIn: false }));
  }, []);

  useEffect(() => {
    const title = NAV.find(([page]) => page === (SECTION[route.page] ?? route.page))?.[1];
    document.title = `${title ?? 'Overview'} · odoo-stream`;
  }, [route.page]);

  if (!session) return <main class="container" aria-busy="true" />;
  if (!session.signedIn) {
    return <Login onSignedIn={(keyName) => setSession({ signedIn: true, keyName })} />;
  }
  const section = SECTION[route.page] ?? route.page;
  const signOut = async () => {
    await api('DELETE', '/api/session').catch(() => undefined);
    setSession({ signedIn: false });
  };
  return (
    <>
      <header class="container-fluid topbar">
        <nav aria-label="main">
          <ul>
            <li>
              <strong>odoo-stream</strong>
            </li>
          </ul>
          <ul class="sections">
            {NAV.map(([page, label]) => (
              <li key={page}>
                <a href={routeHref(page)} aria-current={section === page ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
          <ul>
            <li class="muted" title="the admin key signed in with">
              {session.keyName}
            </li>
            <li>
              <button class="outline secondary" onClick={signOut}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main class="container-fluid">
        <PageOf route={route} />
      </main>
    </>
  );
}
