/* auth_web.h — the login, logout, activation and forgotten-password pages of both
 * spaces (counselor: login_web.c; beneficiary app: login_app.c, activation_app.c). */
#ifndef CEJ_AUTH_WEB_H
#define CEJ_AUTH_WEB_H

struct req;

int auth_counselor_login_page(struct req *r);
int auth_counselor_login(struct req *r);
int auth_counselor_logout(struct req *r);

int auth_app_welcome(struct req *r);
int auth_app_no_account(struct req *r);
int auth_app_login_page(struct req *r);
int auth_app_login(struct req *r);
int auth_app_logout(struct req *r);
int auth_app_activation_page(struct req *r);
int auth_app_activation(struct req *r);
int auth_app_forgot_page(struct req *r);
int auth_app_forgot(struct req *r);

#endif
