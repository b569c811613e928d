/** The demo (`npm run demo`): the seeds/002 AI call-center walkthrough, loaded alive, and its event trickle. */
export {
  DEMO_GRANT_CENTS,
  demoContext,
  DEMO_ORGANIZATION,
  LAST_MONTH_CALL_IDS,
  loadDemo,
  type DemoResult,
} from './demo-seed';
export { DemoTrickle } from './demo-trickle';
