/** Request and response schemas of accounts: users, login, API tokens. These are also the TypeScript types. */
import { Type, type Static } from 'typebox';

export const Username = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{1,63}$',
  description: 'Lower-case letters, digits, dot, dash and underscore; 2 to 64 characters',
});
export const Password = Type.String({ minLength: 8, maxLength: 1024 });
export const SystemRoleSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('staff'),
  Type.Literal('user'),
]);

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  email: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  role: SystemRoleSchema,
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type User = Static<typeof UserSchema>;

export const CreateUserSchema = Type.Object(
  {
    username: Username,
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Password,
    role: Type.Optional(SystemRoleSchema),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type CreateUser = Static<typeof CreateUserSchema>;

export const UpdateUserSchema = Type.Object(
  {
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    password: Type.Optional(Password),
    role: Type.Optional(SystemRoleSchema),
    displayName: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUser = Static<typeof UpdateUserSchema>;

export const LoginSchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const SessionInfoSchema = Type.Object({
  user: UserSchema,
  /** Send back as the X-CSRF-Token header on every cookie-authenticated write. */
  csrfToken: Type.Union([Type.String(), Type.Null()]),
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
});

export const CreateTokenSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});
export type Token = Static<typeof TokenSchema>;

export const CreatedTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  /** The secret: shown once, never again. */
  token: Type.String(),
});

export const UsersPageSchema = Type.Object({
  items: Type.Array(UserSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
