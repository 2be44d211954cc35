/** Request and response schemas of projects and their members. */
import { Type, type Static } from 'typebox';

export const ProjectStatusSchema = Type.Union([
  Type.Literal('planned'),
  Type.Literal('active'),
  Type.Literal('on_hold'),
  Type.Literal('completed'),
  Type.Literal('archived'),
]);
export const ProjectRoleSchema = Type.Union([
  Type.Literal('manager'),
  Type.Literal('member'),
  Type.Literal('viewer'),
]);
const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const NullableDate = Type.Union([DateOnly, Type.Null()]);

export const ProjectSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  startDate: Type.Union([Type.String(), Type.Null()]),
  endDate: Type.Union([Type.String(), Type.Null()]),
  status: ProjectStatusSchema,
  manager: Type.Object({ id: Type.String(), username: Type.String() }),
  /** The caller's role in the project; null for an admin who is not a member. */
  myRole: Type.Union([ProjectRoleSchema, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Project = Static<typeof ProjectSchema>;

export const CreateProjectSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
    startDate: Type.Optional(NullableDate),
    endDate: Type.Optional(NullableDate),
    status: Type.Optional(ProjectStatusSchema),
    /** Defaults to the creator. */
    managerUsername: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type CreateProject = Static<typeof CreateProjectSchema>;

export const UpdateProjectSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
    startDate: Type.Optional(NullableDate),
    endDate: Type.Optional(NullableDate),
    status: Type.Optional(ProjectStatusSchema),
    managerUsername: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProject = Static<typeof UpdateProjectSchema>;

export const ProjectSortSchema = Type.Union([
  Type.Literal('name'),
  Type.Literal('-name'),
  Type.Literal('createdAt'),
  Type.Literal('-createdAt'),
  Type.Literal('startDate'),
  Type.Literal('-startDate'),
]);
export type ProjectSort = Static<typeof ProjectSortSchema>;

export const ListProjectsQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
    status: Type.Optional(ProjectStatusSchema),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    sort: Type.Optional(ProjectSortSchema),
  },
  { additionalProperties: false },
);

export const ProjectsPageSchema = Type.Object({
  items: Type.Array(ProjectSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const MemberSchema = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  role: ProjectRoleSchema,
  addedAt: Type.String({ format: 'date-time' }),
});
export type Member = Static<typeof MemberSchema>;

export const AddMemberSchema = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), role: ProjectRoleSchema },
  { additionalProperties: false },
);
