/**
 * Platform: organizations, environments and their API keys, request authentication, customer-portal tokens and sandboxes.
 * Other folders import this feature only through this file.
 */
export { API_KEY_REVOKED_TOPIC, ApiKeyService } from './api-key.service';
export { Authenticator } from './authenticator';
export type { Principal } from './authenticator';
export { OrganizationService } from './organization.service';
export { PortalTokenService } from './portal-token.service';
export type { IssuedPortalToken, PortalTokenRevocation } from './portal-token.service';
export { isRevokedBy, PORTAL_TOKENS_REVOKED_TOPIC } from './portal-token-revocations';
export { SandboxService } from './sandbox.service';
