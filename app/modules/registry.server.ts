// Capabilities register jobs, live topics and personal-data sources when their modules load;
// the CLI (job runner) and the data export import this file so every registration happens.
import '~/platform/mail/mailer.server';
import '~/modules/accounts/account-settings.server';
import '~/modules/accounts/identity.server';
import '~/modules/accounts/link-mail.server';
import '~/modules/workspaces/invitations.server';
import '~/modules/workspaces/workspaces.server';
import '~/modules/workspaces/personal-data.server';
import '~/modules/files/housekeeping.server';
import '~/modules/files/logo.server';
import '~/modules/files/personal-data.server';
import '~/modules/files/thumbnails.server';
import '~/modules/projects/project-files.server';
import '~/modules/projects/projects.server';
