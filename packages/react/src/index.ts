export { BulletproofProvider, useProtection } from './context/BulletproofProvider.js';
export type { BulletproofProviderProps } from './context/BulletproofProvider.js';

export { useBulletproof } from './hooks/useBulletproof.js';
export type { BulletproofCall, BulletproofCallState, UseBulletproofOptions } from './hooks/useBulletproof.js';
export { useConnectivity } from './hooks/useConnectivity.js';
export { useDegradation, useFeature } from './hooks/useDegradation.js';
export type { DegradationView } from './hooks/useDegradation.js';
export { useDraft } from './hooks/useDraft.js';
export type { DraftMeta, UseDraftOptions } from './hooks/useDraft.js';
export { useMessages } from './hooks/useMessages.js';
export type { MessagesView } from './hooks/useMessages.js';
export { useOutbox } from './hooks/useOutbox.js';
export type { OutboxView } from './hooks/useOutbox.js';
export { usePendingOverlay } from './hooks/usePendingOverlay.js';
export { useProtectionStatus } from './hooks/useProtectionStatus.js';
export { useText } from './hooks/useText.js';
export type { TextOf } from './hooks/useText.js';

export {
  ConnectivityIndicator,
  connectivityKind,
  connectivityTemplates,
} from './components/ConnectivityIndicator.js';
export type { ConnectivityIndicatorProps, ConnectivityKind } from './components/ConnectivityIndicator.js';
export { DegradationBanner, degradationTemplates } from './components/DegradationBanner.js';
export type { DegradationBannerProps, DegradedLevel } from './components/DegradationBanner.js';
export { Degraded } from './components/Degraded.js';
export type { DegradedProps } from './components/Degraded.js';
export { MessageCenter } from './components/MessageCenter.js';
export type { MessageCenterProps, MessageControls } from './components/MessageCenter.js';
export { OutboxPanel, describeEntry } from './components/OutboxPanel.js';
export type { OutboxPanelLabels, OutboxPanelProps } from './components/OutboxPanel.js';
export { BulletproofBoundary, useBoundary } from './components/BulletproofBoundary.js';
export type {
  BoundaryFallbackProps,
  BoundaryResetDetails,
  BulletproofBoundaryProps,
} from './components/BulletproofBoundary.js';
