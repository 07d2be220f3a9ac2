/** Link to a dossier's page in the DS instructor UI. */
export function dossierUrl(uiBaseUrl: string, demarcheNumber: number, dossierNumber: number): string {
  return `${uiBaseUrl.replace(/\/+$/, '')}/procedures/${demarcheNumber}/dossiers/${dossierNumber}`;
}
