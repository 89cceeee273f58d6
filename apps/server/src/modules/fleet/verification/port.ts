export interface VerificationPort {
  status(userId: string): Promise<{
    state: 'none' | 'pending' | 'approved' | 'declined' | 'expired' | 'review';
    licenceExpiresOn?: string;
  }>;
}
