"""The public site and its content: columns, articles and attachments, menus, friendly links
and site settings edited by the site editors, the published results and the certificate
check."""
