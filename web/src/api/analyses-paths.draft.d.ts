/**
 * TEMPORARY (deleted when the analyses routes land on main and schema.d.ts is regenerated): the analyses
 * routes' paths, generated from the contract schemas in src/modules/compute/analyses.schema.ts, added to the
 * generated `paths` so that the pages are written against the real client now.
 */
import "./schema";

declare module "./schema" {
  interface paths {
    "/api/analyses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    projectId?: string;
                    resourceId?: string;
                    sampleId?: string;
                    status?: "draft" | "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                analysisType: {
                                    name: string;
                                    version: string;
                                };
                                completedAt: string | null;
                                id: string;
                                job: {
                                    attempt: number;
                                    endedAt: string | null;
                                    externalId: string | null;
                                    id: string;
                                    /** Format: date-time */
                                    queuedAt: string;
                                    startedAt: string | null;
                                    status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                } | null;
                                params: {
                                    [key: string]: unknown;
                                };
                                projectId: string;
                                requestedBy: {
                                    id: string;
                                    username: string;
                                } | null;
                                resource: {
                                    id: string;
                                    name: string;
                                };
                                resultPath: string | null;
                                sampleId: string;
                                sampleName: string;
                                status: "draft" | "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                /** Format: date-time */
                                submittedAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description A type name (its latest version) */
                        analysisType: string;
                        /** @description Checked against the type's parameter schema; unknown parameters are refused */
                        params?: {
                            [key: string]: unknown;
                        };
                        resourceId?: string;
                        sampleId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysisType: {
                                name: string;
                                version: string;
                            };
                            attempts: {
                                attempt: number;
                                cancelRequestedAt: string | null;
                                cpuSeconds: number | null;
                                endedAt: string | null;
                                exitCode: number | null;
                                externalId: string | null;
                                id: string;
                                outputs: {
                                    contentType: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                    id: string;
                                    name: string;
                                    output: string;
                                    sha256: string;
                                    size: number;
                                }[];
                                peakMemoryBytes: number | null;
                                provenance: {
                                    argv: string[];
                                    inputs: {
                                        fileId: string;
                                        name: string;
                                        sha256: string;
                                        size: number;
                                    }[];
                                    params: {
                                        [key: string]: unknown;
                                    };
                                    toolVersions: {
                                        [key: string]: string;
                                    };
                                    type: {
                                        name: string;
                                        version: string;
                                    };
                                };
                                /** Format: date-time */
                                queuedAt: string;
                                reason: string | null;
                                resourceId: string;
                                schedulerState: string | null;
                                startedAt: string | null;
                                status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                stderrTail: string | null;
                                stdoutTail: string | null;
                                submittedAt: string | null;
                            }[];
                            completedAt: string | null;
                            files: {
                                contentType: string;
                                /** Format: date-time */
                                createdAt: string;
                                id: string;
                                name: string;
                                output: string;
                                sha256: string;
                                size: number;
                            }[];
                            id: string;
                            job: {
                                attempt: number;
                                cancelRequestedAt: string | null;
                                cpuSeconds: number | null;
                                endedAt: string | null;
                                exitCode: number | null;
                                externalId: string | null;
                                id: string;
                                outputs: {
                                    contentType: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                    id: string;
                                    name: string;
                                    output: string;
                                    sha256: string;
                                    size: number;
                                }[];
                                peakMemoryBytes: number | null;
                                provenance: {
                                    argv: string[];
                                    inputs: {
                                        fileId: string;
                                        name: string;
                                        sha256: string;
                                        size: number;
                                    }[];
                                    params: {
                                        [key: string]: unknown;
                                    };
                                    toolVersions: {
                                        [key: string]: string;
                                    };
                                    type: {
                                        name: string;
                                        version: string;
                                    };
                                };
                                /** Format: date-time */
                                queuedAt: string;
                                reason: string | null;
                                resourceId: string;
                                schedulerState: string | null;
                                startedAt: string | null;
                                status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                stderrTail: string | null;
                                stdoutTail: string | null;
                                submittedAt: string | null;
                            } | null;
                            params: {
                                [key: string]: unknown;
                            };
                            projectId: string;
                            requestedBy: {
                                id: string;
                                username: string;
                            } | null;
                            resource: {
                                id: string;
                                name: string;
                            };
                            resultPath: string | null;
                            sampleId: string;
                            sampleName: string;
                            status: "draft" | "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                            /** Format: date-time */
                            submittedAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analyses/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysisType: {
                                name: string;
                                version: string;
                            };
                            attempts: {
                                attempt: number;
                                cancelRequestedAt: string | null;
                                cpuSeconds: number | null;
                                endedAt: string | null;
                                exitCode: number | null;
                                externalId: string | null;
                                id: string;
                                outputs: {
                                    contentType: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                    id: string;
                                    name: string;
                                    output: string;
                                    sha256: string;
                                    size: number;
                                }[];
                                peakMemoryBytes: number | null;
                                provenance: {
                                    argv: string[];
                                    inputs: {
                                        fileId: string;
                                        name: string;
                                        sha256: string;
                                        size: number;
                                    }[];
                                    params: {
                                        [key: string]: unknown;
                                    };
                                    toolVersions: {
                                        [key: string]: string;
                                    };
                                    type: {
                                        name: string;
                                        version: string;
                                    };
                                };
                                /** Format: date-time */
                                queuedAt: string;
                                reason: string | null;
                                resourceId: string;
                                schedulerState: string | null;
                                startedAt: string | null;
                                status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                stderrTail: string | null;
                                stdoutTail: string | null;
                                submittedAt: string | null;
                            }[];
                            completedAt: string | null;
                            files: {
                                contentType: string;
                                /** Format: date-time */
                                createdAt: string;
                                id: string;
                                name: string;
                                output: string;
                                sha256: string;
                                size: number;
                            }[];
                            id: string;
                            job: {
                                attempt: number;
                                cancelRequestedAt: string | null;
                                cpuSeconds: number | null;
                                endedAt: string | null;
                                exitCode: number | null;
                                externalId: string | null;
                                id: string;
                                outputs: {
                                    contentType: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                    id: string;
                                    name: string;
                                    output: string;
                                    sha256: string;
                                    size: number;
                                }[];
                                peakMemoryBytes: number | null;
                                provenance: {
                                    argv: string[];
                                    inputs: {
                                        fileId: string;
                                        name: string;
                                        sha256: string;
                                        size: number;
                                    }[];
                                    params: {
                                        [key: string]: unknown;
                                    };
                                    toolVersions: {
                                        [key: string]: string;
                                    };
                                    type: {
                                        name: string;
                                        version: string;
                                    };
                                };
                                /** Format: date-time */
                                queuedAt: string;
                                reason: string | null;
                                resourceId: string;
                                schedulerState: string | null;
                                startedAt: string | null;
                                status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                stderrTail: string | null;
                                stdoutTail: string | null;
                                submittedAt: string | null;
                            } | null;
                            params: {
                                [key: string]: unknown;
                            };
                            projectId: string;
                            requestedBy: {
                                id: string;
                                username: string;
                            } | null;
                            resource: {
                                id: string;
                                name: string;
                            };
                            resultPath: string | null;
                            sampleId: string;
                            sampleName: string;
                            status: "draft" | "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                            /** Format: date-time */
                            submittedAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analyses/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysisType: {
                                name: string;
                                version: string;
                            };
                            attempts: {
                                attempt: number;
                                cancelRequestedAt: string | null;
                                cpuSeconds: number | null;
                                endedAt: string | null;
                                exitCode: number | null;
                                externalId: string | null;
                                id: string;
                                outputs: {
                                    contentType: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                    id: string;
                                    name: string;
                                    output: string;
                                    sha256: string;
                                    size: number;
                                }[];
                                peakMemoryBytes: number | null;
                                provenance: {
                                    argv: string[];
                                    inputs: {
                                        fileId: string;
                                        name: string;
                                        sha256: string;
                                        size: number;
                                    }[];
                                    params: {
                                        [key: string]: unknown;
                                    };
                                    toolVersions: {
                                        [key: string]: string;
                                    };
                                    type: {
                                        name: string;
                                        version: string;
                                    };
                                };
                                /** Format: date-time */
                                queuedAt: string;
                                reason: string | null;
                                resourceId: string;
                                schedulerState: string | null;
                                startedAt: string | null;
                                status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                stderrTail: string | null;
                                stdoutTail: string | null;
                                submittedAt: string | null;
                            }[];
                            completedAt: string | null;
                            files: {
                                contentType: string;
                                /** Format: date-time */
                                createdAt: string;
                                id: string;
                                name: string;
                                output: string;
                                sha256: string;
                                size: number;
                            }[];
                            id: string;
                            job: {
                                attempt: number;
                                cancelRequestedAt: string | null;
                                cpuSeconds: number | null;
                                endedAt: string | null;
                                exitCode: number | null;
                                externalId: string | null;
                                id: string;
                                outputs: {
                                    contentType: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                    id: string;
                                    name: string;
                                    output: string;
                                    sha256: string;
                                    size: number;
                                }[];
                                peakMemoryBytes: number | null;
                                provenance: {
                                    argv: string[];
                                    inputs: {
                                        fileId: string;
                                        name: string;
                                        sha256: string;
                                        size: number;
                                    }[];
                                    params: {
                                        [key: string]: unknown;
                                    };
                                    toolVersions: {
                                        [key: string]: string;
                                    };
                                    type: {
                                        name: string;
                                        version: string;
                                    };
                                };
                                /** Format: date-time */
                                queuedAt: string;
                                reason: string | null;
                                resourceId: string;
                                schedulerState: string | null;
                                startedAt: string | null;
                                status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                stderrTail: string | null;
                                stdoutTail: string | null;
                                submittedAt: string | null;
                            } | null;
                            params: {
                                [key: string]: unknown;
                            };
                            projectId: string;
                            requestedBy: {
                                id: string;
                                username: string;
                            } | null;
                            resource: {
                                id: string;
                                name: string;
                            };
                            resultPath: string | null;
                            sampleId: string;
                            sampleName: string;
                            status: "draft" | "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                            /** Format: date-time */
                            submittedAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analyses/{id}/files/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    fileId: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analyses/{id}/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    stream: "stdout" | "stderr";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analyses/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            analysisType: {
                                name: string;
                                version: string;
                            };
                            attempts: {
                                attempt: number;
                                cancelRequestedAt: string | null;
                                cpuSeconds: number | null;
                                endedAt: string | null;
                                exitCode: number | null;
                                externalId: string | null;
                                id: string;
                                outputs: {
                                    contentType: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                    id: string;
                                    name: string;
                                    output: string;
                                    sha256: string;
                                    size: number;
                                }[];
                                peakMemoryBytes: number | null;
                                provenance: {
                                    argv: string[];
                                    inputs: {
                                        fileId: string;
                                        name: string;
                                        sha256: string;
                                        size: number;
                                    }[];
                                    params: {
                                        [key: string]: unknown;
                                    };
                                    toolVersions: {
                                        [key: string]: string;
                                    };
                                    type: {
                                        name: string;
                                        version: string;
                                    };
                                };
                                /** Format: date-time */
                                queuedAt: string;
                                reason: string | null;
                                resourceId: string;
                                schedulerState: string | null;
                                startedAt: string | null;
                                status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                stderrTail: string | null;
                                stdoutTail: string | null;
                                submittedAt: string | null;
                            }[];
                            completedAt: string | null;
                            files: {
                                contentType: string;
                                /** Format: date-time */
                                createdAt: string;
                                id: string;
                                name: string;
                                output: string;
                                sha256: string;
                                size: number;
                            }[];
                            id: string;
                            job: {
                                attempt: number;
                                cancelRequestedAt: string | null;
                                cpuSeconds: number | null;
                                endedAt: string | null;
                                exitCode: number | null;
                                externalId: string | null;
                                id: string;
                                outputs: {
                                    contentType: string;
                                    /** Format: date-time */
                                    createdAt: string;
                                    id: string;
                                    name: string;
                                    output: string;
                                    sha256: string;
                                    size: number;
                                }[];
                                peakMemoryBytes: number | null;
                                provenance: {
                                    argv: string[];
                                    inputs: {
                                        fileId: string;
                                        name: string;
                                        sha256: string;
                                        size: number;
                                    }[];
                                    params: {
                                        [key: string]: unknown;
                                    };
                                    toolVersions: {
                                        [key: string]: string;
                                    };
                                    type: {
                                        name: string;
                                        version: string;
                                    };
                                };
                                /** Format: date-time */
                                queuedAt: string;
                                reason: string | null;
                                resourceId: string;
                                schedulerState: string | null;
                                startedAt: string | null;
                                status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                stderrTail: string | null;
                                stdoutTail: string | null;
                                submittedAt: string | null;
                            } | null;
                            params: {
                                [key: string]: unknown;
                            };
                            projectId: string;
                            requestedBy: {
                                id: string;
                                username: string;
                            } | null;
                            resource: {
                                id: string;
                                name: string;
                            };
                            resultPath: string | null;
                            sampleId: string;
                            sampleName: string;
                            status: "draft" | "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                            /** Format: date-time */
                            submittedAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analyses/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        analysisType: string;
                        /** @description Checked against the type's parameter schema; unknown parameters are refused */
                        params?: {
                            [key: string]: unknown;
                        };
                        resourceId?: string;
                        sampleIds: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                analysisType: {
                                    name: string;
                                    version: string;
                                };
                                completedAt: string | null;
                                id: string;
                                job: {
                                    attempt: number;
                                    endedAt: string | null;
                                    externalId: string | null;
                                    id: string;
                                    /** Format: date-time */
                                    queuedAt: string;
                                    startedAt: string | null;
                                    status: "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                } | null;
                                params: {
                                    [key: string]: unknown;
                                };
                                projectId: string;
                                requestedBy: {
                                    id: string;
                                    username: string;
                                } | null;
                                resource: {
                                    id: string;
                                    name: string;
                                };
                                resultPath: string | null;
                                sampleId: string;
                                sampleName: string;
                                status: "draft" | "queued" | "submitted" | "running" | "completed" | "failed" | "cancelled";
                                /** Format: date-time */
                                submittedAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/analysis-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                command: string[];
                                /** Format: date-time */
                                createdAt: string;
                                description: string;
                                id: string;
                                inputs: {
                                    contentTypes?: string[];
                                    max?: number;
                                    min: number;
                                    namePattern?: string;
                                };
                                name: string;
                                origin: "builtin" | "file" | "api";
                                outputs: {
                                    name: string;
                                    path: string;
                                    /** @default true */
                                    required: boolean;
                                }[];
                                parameters: {
                                    [key: string]: unknown;
                                };
                                resources: {
                                    cpus: number;
                                    /** @description sbatch `--mem`: `512M`, `4G` */
                                    memory: string;
                                    /** @description Slurm time limit, `[D-]HH:MM:SS` or minutes */
                                    time: string;
                                };
                                stdoutTo: string | null;
                                toolVersions: {
                                    [key: string]: string[];
                                };
                                version: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        command: string[];
                        description: string;
                        inputs: {
                            contentTypes?: string[];
                            max?: number;
                            min: number;
                            namePattern?: string;
                        };
                        /** @description lower-case letters, digits and dashes */
                        name: string;
                        outputs: {
                            name: string;
                            path: string;
                            /** @default true */
                            required?: boolean;
                        }[];
                        parameters: {
                            [key: string]: unknown;
                        };
                        resources: {
                            cpus: number;
                            /** @description sbatch `--mem`: `512M`, `4G` */
                            memory: string;
                            /** @description Slurm time limit, `[D-]HH:MM:SS` or minutes */
                            time: string;
                        };
                        stdoutTo?: string;
                        toolVersions?: {
                            [key: string]: string[];
                        };
                        version: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            command: string[];
                            /** Format: date-time */
                            createdAt: string;
                            description: string;
                            id: string;
                            inputs: {
                                contentTypes?: string[];
                                max?: number;
                                min: number;
                                namePattern?: string;
                            };
                            name: string;
                            origin: "builtin" | "file" | "api";
                            outputs: {
                                name: string;
                                path: string;
                                /** @default true */
                                required: boolean;
                            }[];
                            parameters: {
                                [key: string]: unknown;
                            };
                            resources: {
                                cpus: number;
                                /** @description sbatch `--mem`: `512M`, `4G` */
                                memory: string;
                                /** @description Slurm time limit, `[D-]HH:MM:SS` or minutes */
                                time: string;
                            };
                            stdoutTo: string | null;
                            toolVersions: {
                                [key: string]: string[];
                            };
                            version: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
                /** @description RFC 9457 problem document (application/problem+json) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description Stable problem code (the README lists them with their statuses)
                             * @enum {unknown}
                             */
                            code: "validation_failed" | "malformed_json" | "empty_body" | "bad_content_length" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "body_too_large" | "incomplete_upload" | "upload_stalled" | "unsupported_media_type" | "route_not_found" | "unauthorized" | "csrf_failed" | "forbidden" | "too_many_requests" | "not_found" | "invalid" | "unknown_slot" | "barcode_empty" | "no_labels" | "no_file" | "not_multipart" | "barcode_too_long" | "not_physical" | "move_cycle" | "unknown_type" | "type_class_fixed" | "builtin_type_name" | "bulk_invalid" | "import_invalid" | "invalid_storage_name" | "conflict" | "slot_occupied" | "barcode_taken" | "username_taken" | "email_taken" | "type_name_taken" | "not_deleted" | "container_not_empty" | "virtual_has_physicals" | "parent_deleted" | "virtual_deleted" | "grid_in_use" | "invalid_transition" | "items_would_be_invalid" | "file_too_large" | "internal_error" | "database_unavailable";
                            detail: string;
                            errors?: {
                                field: string;
                                message: string;
                            }[];
                            instance: string;
                            requestId: string;
                            status: number;
                            title: string;
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
  }
}
